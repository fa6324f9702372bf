package cn.xinqiao.stack;

import java.util.function.Consumer;

/** Loads the demo city (济宁市 370800) through the services' APIs on the first start. */
public final class DemoCity {

    private DemoCity() {
    }

    public static void loadOnce(LocalStack stack, Consumer<String> progress) {
        progress.accept("demo city: nothing to load yet");
    }
}
