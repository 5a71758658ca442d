/*
 * modrt queues: the C interfaces between the queue plugin, its drivers, and whoever
 * publishes (Lua's queue module, `modrt serve --publish`). Same compatibility rule as
 * abi.h: tables only grow, each starts with struct_size, a reader reads what that size
 * covers. Entries offer these through abi.h's entry interfaces (minor 7): a
 * `queue.driver.*` entry offers MODRT_QUEUE_DRIVER_INTERFACE, a `queue.queue` entry
 * MODRT_QUEUE_INTERFACE; host->entry_interface(runtime, id, name, &self) finds them.
 *
 * Messages cross as values: a body is bytes the queue's codec made; headers are a map of
 * strings. A driver knows nothing of codecs, consumers, functions or security.
 */
#ifndef MODRT_QUEUE_H
#define MODRT_QUEUE_H

#include <modrt/abi.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Interface name a queue.driver.* entry offers (modrt_queue_driver_api). */
#define MODRT_QUEUE_DRIVER_INTERFACE "modrt.queue.driver/1"
/** Interface name a queue.queue entry offers (modrt_queue_api). */
#define MODRT_QUEUE_INTERFACE "modrt.queue/1"
/** Frame attachment key under which a consumer lends the message its call handles (modrt_queue_delivery). */
#define MODRT_QUEUE_DELIVERY_KEY "modrt.queue.delivery"

/** A driver entry's handle, as entry_interface gave it. */
typedef void modrt_queue_driver;
/** One queue opened on a driver. */
typedef void modrt_driver_queue;
/** A queue.queue entry's handle, as entry_interface gave it. */
typedef void modrt_queue;

/** What a driver does: store messages, hand them out, take them back. Thread-safe. */
typedef struct modrt_queue_driver_api {
    size_t struct_size; /**< sizeof(modrt_queue_driver_api) as built by the driver */
    /** Open queue `name` (made when missing); `options` is the queue entry's driver_options sub-map for this driver, or NULL. Owned: release with close. */
    modrt_error* (*open)(modrt_queue_driver* driver, modrt_str name, const modrt_value* options,
                         modrt_driver_queue** out);
    /** Release a queue from open; its messages stay with the driver. */
    void (*close)(modrt_driver_queue* queue);
    /** Store a message: `body` bytes (copied) and `headers` (a map of strings, or NULL). UNAVAILABLE (retryable) when full. */
    modrt_error* (*publish)(modrt_driver_queue* queue, modrt_str body, const modrt_value* headers);
    /** Wait until `deadline_ns` (host now_ns clock) for a message, or until wake. Writes into `out` a map {id: string, body: bytes, headers: map, attempt: int (1 on the first delivery), delivery: int (the handle for ack/nack/release)}, or leaves it nil when none came. */
    modrt_error* (*fetch)(modrt_driver_queue* queue, int64_t deadline_ns, modrt_value* out);
    /** Settle a delivery for good: the message is gone. */
    modrt_error* (*ack)(modrt_driver_queue* queue, int64_t delivery);
    /** Hand the message out again after `delay_ns`, as its next attempt. */
    modrt_error* (*nack)(modrt_driver_queue* queue, int64_t delivery, int64_t delay_ns);
    /** Give the message back unhandled (a consumer stopping): delivered again at once, the attempt not counted. */
    modrt_error* (*release)(modrt_driver_queue* queue, int64_t delivery);
    /** Make every fetch waiting on this queue return now (nil). */
    void (*wake)(modrt_driver_queue* queue);
    /** Counters into `out` as a map of ints (the memory driver: ready, delayed, in_flight, published, acked, nacked). */
    modrt_error* (*info)(modrt_driver_queue* queue, modrt_value* out);
    /* -- appended with queue.driver.nats; a reader checks struct_size (and NULL) before using these -- */
    /** Check a queue's `options` (as open gets them) without opening it or doing I/O, so a mistake is a registry error with file and line before anything starts; owned error or NULL. NULL when the driver checks in open only. */
    modrt_error* (*check)(modrt_queue_driver* driver, modrt_str name, const modrt_value* options);
    /** A consumer starts fetching from `queue`: `options` is a map {prefetch: int, concurrency: int, timeout_ns: int, driver_options: the consumer entry's sub-map for this driver, or nil}, so a driver that pulls in batches sizes them. Each successful call is matched by one unsubscribe. NULL when the driver needs no notice. */
    modrt_error* (*subscribe)(modrt_driver_queue* queue, const modrt_value* options);
    /** A consumer stopped fetching (its workers have returned): when none is left, the driver gives back what it buffered for them. */
    void (*unsubscribe)(modrt_driver_queue* queue);
} modrt_queue_driver_api;

/** The size of modrt_queue_driver_api before check/subscribe/unsubscribe: the least a reader accepts. */
#define MODRT_QUEUE_DRIVER_API_V1_SIZE (offsetof(modrt_queue_driver_api, info) + sizeof(void*))

/** A queue as publishers see it. Thread-safe. */
typedef struct modrt_queue_api {
    size_t struct_size; /**< sizeof(modrt_queue_api) as built by the queue plugin */
    /** Publish `body` (any value; the queue's codec encodes it) with `headers` (a map of strings, or NULL) as the caller of `frame`, who needs queue.publish and queue.publish.queue on the queue's id. Owned error or NULL. */
    modrt_error* (*publish)(modrt_queue* queue, const modrt_frame* frame, const modrt_value* body,
                            const modrt_value* headers);
    /** The driver's counters (modrt_queue_driver_api.info) plus the queue's own: a map. */
    modrt_error* (*info)(modrt_queue* queue, modrt_value* out);
} modrt_queue_api;

/** The message a consumer's call handles, lent under MODRT_QUEUE_DELIVERY_KEY on its root frame. All borrowed, valid while the call runs. */
typedef struct modrt_queue_delivery {
    size_t struct_size;         /**< sizeof(modrt_queue_delivery) as built by the consumer */
    void* self;                 /**< pass to settle */
    modrt_str id;               /**< the message id (NUL-terminated) */
    const modrt_value* headers; /**< a map of strings */
    int64_t attempt;            /**< 1 on the first delivery */
    /** Settle now (ack when `ack` is 1, nack otherwise) instead of by the call's result: 1 when this settled it, 0 when it was settled already. */
    int (*settle)(void* self, int ack);
} modrt_queue_delivery;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* MODRT_QUEUE_H */
