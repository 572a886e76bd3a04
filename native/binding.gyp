{
  "targets": [
    {
      "target_name": "takd_notify",
      "sources": ["src/notify.c", "src/malloc-trim.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
