-- Renews (ARGV[2] 'renew') or releases (ARGV[2] 'release') the lease KEYS[1] if ARGV[1], its holder's token,
-- still holds it: a replica whose lease ran out and went to another never touches the other's. ARGV[3] the
-- lease in milliseconds, for a renewal. Answers 1 when done, 0 when the lease is another's or gone.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
    return 0
end
if ARGV[2] == 'release' then
    return redis.call('DEL', KEYS[1])
end
return redis.call('PEXPIRE', KEYS[1], ARGV[3])
