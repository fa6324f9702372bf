package cn.xinqiao.screening.roster;

/** A roster import's progress: waiting for a worker, being read, finished, or given up with its reason. */
public enum ImportStatus {
    QUEUED,
    RUNNING,
    DONE,
    FAILED
}
