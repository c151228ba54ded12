// libcurl for Swift: loaded on first use, with typed wrappers for its variadic calls, which Swift cannot call
// directly. This header is the only place Swift sees libcurl.
//
// libcurl is opened with dlopen when the first request is made instead of being linked: it brings two dozen
// libraries with it (TLS, Kerberos, LDAP, SSH, IDN), and loading them at start cost every command that never touches
// the network (filter, merge, archive, lookup) about a quarter of its start-up time.
#ifndef WORDBENCH_CCURL_SHIM_H
#define WORDBENCH_CCURL_SHIM_H

#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>

/// The libcurl functions wordbench calls, resolved from the library once.
typedef struct {
  CURLcode (*global_init)(long flags);
  CURL *(*easy_init)(void);
  void (*easy_cleanup)(CURL *handle);
  CURLcode (*easy_perform)(CURL *handle);
  const char *(*easy_strerror)(CURLcode code);
  CURLcode (*easy_setopt)(CURL *handle, CURLoption option, ...);
  CURLcode (*easy_getinfo)(CURL *handle, CURLINFO info, ...);
  struct curl_slist *(*slist_append)(struct curl_slist *list, const char *text);
  void (*slist_free_all)(struct curl_slist *list);
  curl_mime *(*mime_init)(CURL *handle);
  void (*mime_free)(curl_mime *mime);
  curl_mimepart *(*mime_addpart)(curl_mime *mime);
  CURLcode (*mime_name)(curl_mimepart *part, const char *name);
  CURLcode (*mime_data)(curl_mimepart *part, const char *data, size_t size);
  CURLcode (*mime_filedata)(curl_mimepart *part, const char *path);
  CURLcode (*mime_filename)(curl_mimepart *part, const char *name);
  CURLcode (*mime_type)(curl_mimepart *part, const char *type);
  /// Why the library or one of its functions could not be found; empty when all were.
  char failure[512];
} wb_curl_api;

// The loaded functions live in a function's static (Swift does not take over a header's global variables).
static inline wb_curl_api *wb_curl_api_storage(void) {
  static wb_curl_api api;
  return &api;
}

#define wb_curl_loaded (*wb_curl_api_storage())

static inline void wb_curl_resolve(void *library, void **slot, const char *name) {
  *slot = dlsym(library, name);
  if (*slot == NULL && wb_curl_loaded.failure[0] == 0) {
    const char *reason = dlerror();
    snprintf(wb_curl_loaded.failure, sizeof wb_curl_loaded.failure, "%s", reason ? reason : name);
  }
}

static inline void wb_curl_load(void) {
  void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
  if (library == NULL) {
    const char *reason = dlerror();
    snprintf(wb_curl_loaded.failure, sizeof wb_curl_loaded.failure, "%s", reason ? reason : "libcurl.so.4");
    return;
  }
#define WB_CURL_RESOLVE(field, name) wb_curl_resolve(library, (void **)&wb_curl_loaded.field, name)
  WB_CURL_RESOLVE(global_init, "curl_global_init");
  WB_CURL_RESOLVE(easy_init, "curl_easy_init");
  WB_CURL_RESOLVE(easy_cleanup, "curl_easy_cleanup");
  WB_CURL_RESOLVE(easy_perform, "curl_easy_perform");
  WB_CURL_RESOLVE(easy_strerror, "curl_easy_strerror");
  WB_CURL_RESOLVE(easy_setopt, "curl_easy_setopt");
  WB_CURL_RESOLVE(easy_getinfo, "curl_easy_getinfo");
  WB_CURL_RESOLVE(slist_append, "curl_slist_append");
  WB_CURL_RESOLVE(slist_free_all, "curl_slist_free_all");
  WB_CURL_RESOLVE(mime_init, "curl_mime_init");
  WB_CURL_RESOLVE(mime_free, "curl_mime_free");
  WB_CURL_RESOLVE(mime_addpart, "curl_mime_addpart");
  WB_CURL_RESOLVE(mime_name, "curl_mime_name");
  WB_CURL_RESOLVE(mime_data, "curl_mime_data");
  WB_CURL_RESOLVE(mime_filedata, "curl_mime_filedata");
  WB_CURL_RESOLVE(mime_filename, "curl_mime_filename");
  WB_CURL_RESOLVE(mime_type, "curl_mime_type");
#undef WB_CURL_RESOLVE
  // Set up once per process, before the first handle, as libcurl asks.
  if (wb_curl_loaded.failure[0] == 0) wb_curl_loaded.global_init(CURL_GLOBAL_DEFAULT);
}

/// Loads libcurl (once; safe from any thread). NULL when it is ready, else why it cannot be used. Every other
/// wrapper may be called only after this returned NULL.
static inline const char *wb_curl_open(void) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, wb_curl_load);
  return wb_curl_loaded.failure[0] == 0 ? NULL : wb_curl_loaded.failure;
}

static inline CURL *wb_curl_easy_init(void) { return wb_curl_loaded.easy_init(); }
static inline void wb_curl_easy_cleanup(CURL *handle) { wb_curl_loaded.easy_cleanup(handle); }
static inline CURLcode wb_curl_easy_perform(CURL *handle) { return wb_curl_loaded.easy_perform(handle); }
static inline const char *wb_curl_easy_strerror(CURLcode code) { return wb_curl_loaded.easy_strerror(code); }

static inline struct curl_slist *wb_curl_slist_append(struct curl_slist *list, const char *text) {
  return wb_curl_loaded.slist_append(list, text);
}

static inline void wb_curl_slist_free_all(struct curl_slist *list) {
  if (list != NULL) wb_curl_loaded.slist_free_all(list);
}

static inline curl_mime *wb_curl_mime_init(CURL *handle) { return wb_curl_loaded.mime_init(handle); }
static inline void wb_curl_mime_free(curl_mime *mime) {
  if (mime != NULL) wb_curl_loaded.mime_free(mime);
}
static inline curl_mimepart *wb_curl_mime_addpart(curl_mime *mime) { return wb_curl_loaded.mime_addpart(mime); }
static inline CURLcode wb_curl_mime_name(curl_mimepart *part, const char *name) {
  return wb_curl_loaded.mime_name(part, name);
}
static inline CURLcode wb_curl_mime_data(curl_mimepart *part, const char *data) {
  return wb_curl_loaded.mime_data(part, data, CURL_ZERO_TERMINATED);
}
static inline CURLcode wb_curl_mime_filedata(curl_mimepart *part, const char *path) {
  return wb_curl_loaded.mime_filedata(part, path);
}
static inline CURLcode wb_curl_mime_filename(curl_mimepart *part, const char *name) {
  return wb_curl_loaded.mime_filename(part, name);
}
static inline CURLcode wb_curl_mime_type(curl_mimepart *part, const char *type) {
  return wb_curl_loaded.mime_type(part, type);
}

typedef size_t (*wb_curl_data_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);

static inline CURLcode wb_curl_setopt_long(CURL *handle, CURLoption option, long value) {
  return wb_curl_loaded.easy_setopt(handle, option, value);
}

static inline CURLcode wb_curl_setopt_offset(CURL *handle, CURLoption option, curl_off_t value) {
  return wb_curl_loaded.easy_setopt(handle, option, value);
}

static inline CURLcode wb_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
  return wb_curl_loaded.easy_setopt(handle, option, value);
}

static inline CURLcode wb_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
  return wb_curl_loaded.easy_setopt(handle, option, value);
}

static inline CURLcode wb_curl_setopt_list(CURL *handle, CURLoption option, struct curl_slist *value) {
  return wb_curl_loaded.easy_setopt(handle, option, value);
}

static inline CURLcode wb_curl_setopt_data_callback(CURL *handle, CURLoption option, wb_curl_data_callback value) {
  return wb_curl_loaded.easy_setopt(handle, option, value);
}

typedef int (*wb_curl_xferinfo_callback)(void *userdata, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                                         curl_off_t ulnow);

static inline CURLcode wb_curl_setopt_xferinfo_callback(CURL *handle, wb_curl_xferinfo_callback value) {
  return wb_curl_loaded.easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, value);
}

static inline CURLcode wb_curl_setopt_mime(CURL *handle, curl_mime *value) {
  return wb_curl_loaded.easy_setopt(handle, CURLOPT_MIMEPOST, value);
}

static inline CURLcode wb_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
  return wb_curl_loaded.easy_getinfo(handle, info, value);
}

#endif
