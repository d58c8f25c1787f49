package io.rewardgate.api;

/**
 * The paths that the filters of this package treat apart, named here for the resources to take: the
 * package imports none of its feature packages, not even for a constant.
 */
public final class Paths {

    /** Scored line by line as the body arrives, under its own body limit. */
    public static final String SCORES_STREAM = "/v1/scores/stream";
    /** Uploads, read to the jobs volume as they arrive, under the files' own limit. */
    public static final String FILES = "/v1/files";

    private Paths() {}
}
