package io.rewardgate.api.jobs;

import java.util.List;
import java.util.function.Function;

import io.rewardgate.jobs.JobsException;

/** OpenAI's cursor paging: up to {@code limit} items after the one whose id is {@code after}. */
final class Pages {

    private Pages() {}

    /** A page of {@code items}, which are in the order the list is read. */
    record Page<T>(List<T> items, boolean hasMore) {}

    /** The page size asked for: {@code defaultLimit} when none, else from 1 to {@code maxLimit}. */
    static int limit(Integer limit, int defaultLimit, int maxLimit) {
        int size = limit == null ? defaultLimit : limit;
        if (size < 1 || size > maxLimit) {
            throw new JobsException(JobsException.Kind.INVALID, "limit must be from 1 to " + maxLimit + ".", "limit");
        }
        return size;
    }

    static <T> Page<T> of(List<T> items, String after, Integer limit, int defaultLimit, int maxLimit,
            Function<T, String> id) {
        int size = limit(limit, defaultLimit, maxLimit);
        int start = 0;
        if (after != null) {
            start = -1;
            for (int i = 0; i < items.size(); i++) {
                if (id.apply(items.get(i)).equals(after)) {
                    start = i + 1;
                    break;
                }
            }
            if (start < 0) {
                throw new JobsException(JobsException.Kind.INVALID, "after names no item of this list.", "after");
            }
        }
        int end = Math.min(items.size(), start + size);
        return new Page<>(items.subList(start, end), end < items.size());
    }
}
