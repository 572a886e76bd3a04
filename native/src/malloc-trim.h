#ifndef TAKD_MALLOC_TRIM_H
#define TAKD_MALLOC_TRIM_H
#include <node_api.h>

napi_value trim_malloc(napi_env env, napi_callback_info info);

#endif
