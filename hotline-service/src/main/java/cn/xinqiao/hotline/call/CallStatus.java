package cn.xinqiao.hotline.call;

/** A call is OPEN while the operator works it (autosaved) and CLOSED once submitted; a closed call never changes. */
public enum CallStatus {
    OPEN,
    CLOSED
}
