// Typed wrappers for libcurl's variadic calls, which Swift cannot call directly.
// This header is the only place Swift sees libcurl.
#ifndef WORDBENCH_CCURL_SHIM_H
#define WORDBENCH_CCURL_SHIM_H

#include <curl/curl.h>

typedef size_t (*wb_curl_data_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);

static inline CURLcode wb_curl_setopt_long(CURL *handle, CURLoption option, long value) {
  return curl_easy_setopt(handle, option, value);
}

static inline CURLcode wb_curl_setopt_offset(CURL *handle, CURLoption option, curl_off_t value) {
  return curl_easy_setopt(handle, option, value);
}

static inline CURLcode wb_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
  return curl_easy_setopt(handle, option, value);
}

static inline CURLcode wb_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
  return curl_easy_setopt(handle, option, value);
}

static inline CURLcode wb_curl_setopt_list(CURL *handle, CURLoption option, struct curl_slist *value) {
  return curl_easy_setopt(handle, option, value);
}

static inline CURLcode wb_curl_setopt_data_callback(CURL *handle, CURLoption option, wb_curl_data_callback value) {
  return curl_easy_setopt(handle, option, value);
}

typedef int (*wb_curl_xferinfo_callback)(void *userdata, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                                         curl_off_t ulnow);

static inline CURLcode wb_curl_setopt_xferinfo_callback(CURL *handle, wb_curl_xferinfo_callback value) {
  return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, value);
}

static inline CURLcode wb_curl_setopt_mime(CURL *handle, curl_mime *value) {
  return curl_easy_setopt(handle, CURLOPT_MIMEPOST, value);
}

static inline CURLcode wb_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
  return curl_easy_getinfo(handle, info, value);
}

#endif
