package cn.xinqiao.stack;

/** A Quarkus app of this repository: module folder, port, database. */
public record App(String name, int port, String database, int heapMb) {
    public String url() {
        return "http://localhost:" + port;
    }

    /** Health, metrics and the OpenAPI document: the management interface, API port + 1000 (not the API port). */
    public int managementPort() {
        return port + 1000;
    }

    public String managementUrl() {
        return "http://localhost:" + managementPort();
    }
}
