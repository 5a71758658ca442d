/*
 * modrt HTTP exchange: one HTTP request and its response, lent by an HTTP trigger (the
 * http plugin's http.service) to the root call it makes for the request. A function of
 * any kind finds it with host->frame_attachment(frame, MODRT_HTTP_EXCHANGE_KEY) (ABI minor
 * 6): Lua's `http` module (http.request(), http.response()) and native handlers through
 * the SDK (modrt::http::Exchange) read the request and write the response through it.
 *
 * Plain C, under abi.h's compatibility rule: modrt_http_api only grows by appending, and
 * a reader checks struct_size before using a field a newer header appended.
 *
 * Threads: an exchange is used by the call it was lent to and the synchronous calls
 * beneath it, one at a time (calls started with call_async do not see it). Strings it
 * returns are borrowed and stay valid while that call runs.
 */
#ifndef MODRT_HTTP_H
#define MODRT_HTTP_H

#include <modrt/abi.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The key under which an HTTP trigger lends the exchange (frame_attachment). */
#define MODRT_HTTP_EXCHANGE_KEY "http.exchange"

/** A single-valued part of the request. */
typedef enum modrt_http_field {
    MODRT_HTTP_METHOD = 1,       /**< "GET", "POST", ... as sent */
    MODRT_HTTP_PATH = 2,         /**< the path, percent-decoded, without the query string */
    MODRT_HTTP_QUERY_STRING = 3, /**< the raw query string after '?', without it ("" when none) */
    MODRT_HTTP_BODY = 4,         /**< the whole body (bytes; "" when none) */
    MODRT_HTTP_REMOTE_ADDR = 5,  /**< the client's address, "ip:port" */
    MODRT_HTTP_HOST = 6,         /**< the Host header without the port */
    MODRT_HTTP_REQUEST_ID = 7,   /**< X-Request-Id as sent, else one the trigger made */
    MODRT_HTTP_PROTOCOL = 8,     /**< "HTTP/1.1" or "HTTP/1.0" */
    MODRT_HTTP_ROUTE = 9         /**< the matched endpoint's path pattern, e.g. "/users/{id}" */
} modrt_http_field;

/** A multi-valued part of the request: name/value pairs in the order they came. */
typedef enum modrt_http_list {
    MODRT_HTTP_PARAMS = 1, /**< path parameters ({id}; a trailing {rest...} is named "rest") */
    MODRT_HTTP_QUERY = 2,  /**< query parameters, percent-decoded; a repeated name repeats */
    MODRT_HTTP_HEADERS = 3 /**< request headers, names lower-cased; a repeated name repeats */
} modrt_http_list;

typedef struct modrt_http_exchange modrt_http_exchange;

/** What a function may do with an exchange. Every hook takes the exchange it came with. */
typedef struct modrt_http_api {
    size_t struct_size; /**< sizeof(modrt_http_api) as built by the trigger */
    /** A request field; {"",0} when the request has none. Borrowed. */
    modrt_str (*field)(const modrt_http_exchange* ex, modrt_http_field field);
    /** How many pairs `list` holds. */
    size_t (*count)(const modrt_http_exchange* ex, modrt_http_list list);
    /** The name of pair `i` of `list` (i < count). Borrowed. */
    modrt_str (*name_at)(const modrt_http_exchange* ex, modrt_http_list list, size_t i);
    /** The value of pair `i` of `list` (i < count). Borrowed. */
    modrt_str (*value_at)(const modrt_http_exchange* ex, modrt_http_list list, size_t i);
    /** The first value named `name` in `list` (header names compare case-insensitively); {NULL,0} when none. Borrowed. */
    modrt_str (*get)(const modrt_http_exchange* ex, modrt_http_list list, modrt_str name);
    /** Set the response status (100-599). Owned error: INVALID for another number or once the head was sent (flush). */
    modrt_error* (*set_status)(modrt_http_exchange* ex, int status);
    /** Set a response header, replacing one of the same name. Owned error: INVALID for a name or value the protocol forbids (CR, LF, ...) or once the head was sent. */
    modrt_error* (*set_header)(modrt_http_exchange* ex, modrt_str name, modrt_str value);
    /** Append to the response body (buffered until flush or the call's end). Owned error: CANCELED when the client is gone, INVALID past the service's body limit. */
    modrt_error* (*write)(modrt_http_exchange* ex, modrt_str data);
    /** Send the head and what the body holds now (the rest follows chunked). Owned error: CANCELED when the client is gone. */
    modrt_error* (*flush)(modrt_http_exchange* ex);
    /** 1 once the function set a status, a header or wrote body: the trigger then sends what it wrote even when the call fails. */
    int (*responded)(const modrt_http_exchange* ex);
} modrt_http_api;

/** The head of every exchange object: a trigger's own exchange type starts with it. */
struct modrt_http_exchange {
    size_t struct_size;        /**< sizeof(modrt_http_exchange) as built by the trigger */
    const modrt_http_api* api; /**< the hooks; static storage */
    /** Changes with every request the exchange serves (a trigger may reuse one exchange object per connection), never repeating within the trigger: a Lua object kept past its request compares it to know the request is over. */
    uint64_t serial;
};

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* MODRT_HTTP_H */
