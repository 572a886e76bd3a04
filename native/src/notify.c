/*
 * sd_notify for takd, without libsystemd: one datagram to the AF_UNIX socket systemd names
 * in $NOTIFY_SOCKET. Sent from the calling (main) process, so units can keep
 * NotifyAccess=main. A name starting with '@' is an abstract socket (leading NUL byte).
 *
 * JS: notify(socketPath: string, message: string) → 0, or a negative errno.
 * The addon also carries trimMalloc() (malloc-trim.c).
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <node_api.h>
#include "malloc-trim.h"

#define MAX_MESSAGE 4096

static int send_notification(const char *path, size_t path_len, const char *message, size_t message_len) {
  struct sockaddr_un address;
  if (path_len == 0 || path_len >= sizeof(address.sun_path)) return -EINVAL;
  if (path[0] != '/' && path[0] != '@') return -EAFNOSUPPORT; /* vsock and others: not on our targets */

  memset(&address, 0, sizeof(address));
  address.sun_family = AF_UNIX;
  memcpy(address.sun_path, path, path_len);
  socklen_t length = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + path_len);
  if (path[0] == '@') {
    address.sun_path[0] = '\0';
  } else {
    length += 1; /* include the terminating NUL of a filesystem path */
  }

  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -errno;
  ssize_t sent;
  do {
    sent = sendto(fd, message, message_len, MSG_NOSIGNAL, (struct sockaddr *)&address, length);
  } while (sent < 0 && errno == EINTR);
  int result = sent < 0 ? -errno : 0;
  close(fd);
  return result;
}

static napi_value notify(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_value result;
  char path[sizeof(((struct sockaddr_un *)0)->sun_path) + 1];
  char message[MAX_MESSAGE];
  size_t path_len = 0;
  size_t message_len = 0;

  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2) {
    napi_throw_type_error(env, NULL, "notify(socketPath, message)");
    return NULL;
  }
  if (napi_get_value_string_utf8(env, argv[0], path, sizeof(path), &path_len) != napi_ok ||
      napi_get_value_string_utf8(env, argv[1], message, sizeof(message), &message_len) != napi_ok) {
    napi_throw_type_error(env, NULL, "notify: socketPath and message must be strings");
    return NULL;
  }
  napi_create_int32(env, send_notification(path, path_len, message, message_len), &result);
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "notify", NAPI_AUTO_LENGTH, notify, NULL, &fn);
  napi_set_named_property(env, exports, "notify", fn);
  napi_create_function(env, "trimMalloc", NAPI_AUTO_LENGTH, trim_malloc, NULL, &fn);
  napi_set_named_property(env, exports, "trimMalloc", fn);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
