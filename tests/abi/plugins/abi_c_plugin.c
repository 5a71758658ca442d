/*
 * A plugin in plain C, built against one abi.h only (ABI_C_HEADER: a snapshot of a
 * released header under tests/abi/snapshots/, or today's), as a third party wrote
 * it then. abi_snapshot_test.cpp loads each build in today's kernel (abi.h, rule 2).
 *
 * It provides a function kind `test.abi_c_<tag>` and a pool type `pool.abi_c_<tag>`
 * (ABI_C_TAG), so a call runs through both. Tables use designated initialisers:
 * what a later header appends stays zero.
 */
#include ABI_C_HEADER

#include <string.h>

#define ABI_C_TEXT2(x) #x
#define ABI_C_TEXT(x) ABI_C_TEXT2(x)
#define ABI_C_NAME(prefix) prefix ABI_C_TEXT(ABI_C_TAG)

/* Today's header stamps the target (rule 1); a released one stamped its own minor. */
#ifdef MODRT_PLUGIN_DESCRIPTOR_HEAD
#define ABI_C_MINOR MODRT_TARGET_ABI_MINOR
#else
#define ABI_C_MINOR MODRT_ABI_MINOR
#endif

/* The plugin's state: the host table this runtime handed over (valid until shutdown). */
typedef struct abi_c_plugin {
    const modrt_host_api* host;
} abi_c_plugin;

/* One pool: how many tasks it ran (calls of one runtime come one at a time in the test). */
typedef struct abi_c_pool {
    uint64_t ran;
} abi_c_pool;

static modrt_str abi_c_str(const char* s) {
    modrt_str out = {s, strlen(s)};
    return out;
}

static modrt_error* abi_c_init(const modrt_host_api* host, const modrt_value* config, void** out_plugin) {
    (void)config;
    abi_c_plugin* p = (abi_c_plugin*)host->alloc(sizeof *p);
    if (p == NULL) return host->error_new(MODRT_ERR_INTERNAL, abi_c_str("out of memory"));
    p->host = host;
    *out_plugin = p;
    return NULL;
}

static void abi_c_shutdown(void* plugin) {
    abi_c_plugin* p = (abi_c_plugin*)plugin;
    p->host->free(p);
}

/* -- the function kind -- */

static modrt_error* abi_c_entry_create(void* plugin, const modrt_entry_info* info, void** out_entry) {
    (void)info;
    *out_entry = plugin; /* no state per entry */
    return NULL;
}

static void abi_c_entry_destroy(void* plugin, void* entry) {
    (void)plugin;
    (void)entry;
}

/* (ints...) -> {sum, abi_minor, host_struct_size, target}; ("fail") -> INVALID error. */
static modrt_error* abi_c_invoke(void* plugin, void* entry, modrt_frame* frame, const modrt_value* args,
                                 modrt_value* result) {
    const modrt_host_api* h = ((abi_c_plugin*)plugin)->host;
    (void)entry;
    const modrt_value* first = h->value_at(args, 0);
    if (h->value_type(first) == MODRT_STRING) {
        modrt_str s = h->value_string(first);
        if (s.len == 4 && memcmp(s.ptr, "fail", 4) == 0)
            return h->error_new(MODRT_ERR_INVALID, abi_c_str(ABI_C_NAME("asked to fail: abi_c_")));
    }
    int64_t sum = 0;
    for (size_t i = 0; i < h->value_len(args); ++i) sum += h->value_int(h->value_at(args, i));
    h->value_set_map(result, 4);
    h->value_set_int(h->value_insert(result, abi_c_str("sum")), sum);
    h->value_set_int(h->value_insert(result, abi_c_str("abi_minor")), ABI_C_MINOR);
    h->value_set_int(h->value_insert(result, abi_c_str("host_struct_size")), (int64_t)h->struct_size);
    h->value_set_string(h->value_insert(result, abi_c_str("target")), h->frame_target(frame));
    return NULL;
}

static const modrt_kind_api abi_c_kind = {
    .struct_size = sizeof(modrt_kind_api),
    .entry_create = abi_c_entry_create,
    .entry_destroy = abi_c_entry_destroy,
    .invoke = abi_c_invoke,
};

/* -- the pool: runs each task on the submitting thread -- */

static modrt_error* abi_c_pool_create(void* plugin, const modrt_value* options, void** out_pool) {
    const modrt_host_api* h = ((abi_c_plugin*)plugin)->host;
    (void)options;
    abi_c_pool* pool = (abi_c_pool*)h->alloc(sizeof *pool);
    if (pool == NULL) return h->error_new(MODRT_ERR_INTERNAL, abi_c_str("out of memory"));
    pool->ran = 0;
    *out_pool = pool;
    return NULL;
}

static void abi_c_pool_destroy(void* plugin, void* pool) { ((abi_c_plugin*)plugin)->host->free(pool); }

static modrt_error* abi_c_pool_submit(void* pool, modrt_task* task) {
    ((abi_c_pool*)pool)->ran++;
    task->run(task->self);
    return NULL;
}

static void abi_c_pool_stats(void* pool, modrt_pool_stats* out) {
    out->workers = 0;
    out->busy = 0;
    out->queued = 0;
    out->completed = ((abi_c_pool*)pool)->ran;
    out->rejected = 0;
}

static const modrt_pool_api abi_c_pool_api = {
    .struct_size = sizeof(modrt_pool_api),
    .create = abi_c_pool_create,
    .destroy = abi_c_pool_destroy,
    .submit = abi_c_pool_submit,
    .stats = abi_c_pool_stats,
};

/* -- the descriptor -- */

static const modrt_provide abi_c_provides[] = {
    {.struct_size = sizeof(modrt_provide),
     .type = MODRT_EXT_FUNCTION_KIND,
     .name = ABI_C_NAME("test.abi_c_"),
     .api = &abi_c_kind},
    {.struct_size = sizeof(modrt_provide),
     .type = MODRT_EXT_POOL,
     .name = ABI_C_NAME("pool.abi_c_"),
     .api = &abi_c_pool_api},
};

static const modrt_plugin_descriptor abi_c_descriptor = {
#ifdef MODRT_PLUGIN_DESCRIPTOR_HEAD
    MODRT_PLUGIN_DESCRIPTOR_HEAD,
#else
    .struct_size = sizeof(modrt_plugin_descriptor),
    .abi_major = MODRT_ABI_MAJOR,
    .abi_minor = MODRT_ABI_MINOR,
#endif
    .name = ABI_C_NAME("test.abi_c_"),
    .version = "1.0.0",
    .provides = abi_c_provides,
    .provides_count = sizeof abi_c_provides / sizeof abi_c_provides[0],
    .init = abi_c_init,
    .shutdown = abi_c_shutdown,
};

MODRT_EXPORT const modrt_plugin_descriptor* modrt_plugin_entry(void);
MODRT_EXPORT const modrt_plugin_descriptor* modrt_plugin_entry(void) { return &abi_c_descriptor; }
