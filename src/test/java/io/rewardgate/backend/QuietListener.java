package io.rewardgate.backend;

import java.time.Duration;

/** A limiter's listener for tests that count nothing. */
final class QuietListener implements CallLimiter.Listener {

    @Override
    public void granted(Duration waited) {}

    @Override
    public void released() {}

    @Override
    public void refused() {}
}
