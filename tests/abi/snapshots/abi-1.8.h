/*
 * modrt C ABI, version 1.
 *
 * The one contract between the modrt kernel and its plugins. Plain C only:
 * opaque handles, function-pointer tables, {ptr, len} buffers. Nothing C++
 * crosses this boundary, so a plugin built by another compiler or standard
 * library loads and works.
 *
 * ===== The compatibility rule (stated here once; everything else follows it) =====
 *
 *  1. A plugin's descriptor carries the OLDEST minor it needs, its target:
 *     MODRT_TARGET_ABI_MINOR, which defaults to this header's MODRT_ABI_MINOR.
 *     To run on older kernels, define it (for the whole plugin) before
 *     including this header or the SDK; modrt_add_plugin(... TARGET_ABI_MINOR n)
 *     does that. A target above this header's minor is a compile error.
 *  2. A kernel accepts a plugin whose major equals its own and whose target
 *     minor is not newer than its own minor, and refuses any other, naming both
 *     versions. So every plugin built against any 1.x header keeps loading in
 *     every later 1.x kernel.
 *  3. Tables only grow: a later minor appends fields at the end, never moves,
 *     retypes or removes one. Every table starts with its struct_size, set by
 *     whoever built it; a reader reads only the fields inside that size, and a
 *     field past it reads as NULL/0. A NULL hook means "not provided".
 *  4. A plugin uses every field its target minor has (see "Minors" below)
 *     without checking. A field of a newer minor it feature-tests first
 *     (host->struct_size >= offsetof(...) + sizeof(...), then not NULL). The
 *     C++ SDK refuses at compile time what the target lacks, and where it has a
 *     fallback for an older target (modrt::ScalarArgs) it picks it at compile
 *     time, never with a check on the call path.
 *  History's one wrinkle: "1.0" names two table shapes (see 1.0 below). A plugin
 *  targeting minor 0 may rely only on the first 1.0 fields and feature-tests the
 *  ones appended while the minor stayed 0; from target 1 on, they are all there.
 *
 * Other rules:
 *  - Ownership of every pointer is written next to it. "borrowed" means the
 *    receiver must not free it and must not keep it past the call (unless a
 *    longer lifetime is stated); "owned" means the receiver must release it
 *    with the named function.
 *  - Hooks never throw or longjmp across this boundary; failures are returned
 *    as a modrt_error* (NULL means success).
 *  - Fill tables with designated initialisers (C) or let the SDK build them
 *    (C++), so appended fields are zero (not provided) and never warn.
 *
 * ===== Process-wide and per-runtime host verbs =====
 *
 * A process may hold several runtimes; each hands its plugins its own host
 * table (host->runtime names it), valid until the plugin's shutdown. The verbs
 * that take no modrt_runtime* are process-wide: logging, memory, clock, values,
 * errors, frames (frame_*, next_invoke_with, security_allowed, security_check,
 * root_frame_cancel, root_frame_release: a frame knows its runtime), actors and futures. A plugin may keep a copy of
 * the table it got at init and call those verbs through it from any runtime
 * (the C++ SDK does: modrt::host_api(), whose `runtime` is NULL). The verbs that
 * take a modrt_runtime* (call, call_async, entry_find, library_symbol,
 * pool_stats, security_evaluate, security_scope_policies, contract_resolve,
 * contract_describe, value_size_limit, contract_describe_binding, root_frame_new, entry_interface, root_frame_renew) need a live
 * runtime: pass the `runtime` of the table that runtime handed over.
 *
 * ===== Values that cross the boundary (all modrt_value trees) =====
 *
 *  - init `config`: a map, the `config:` of the plugin.config entry naming
 *    the plugin (kept by the kernel until shutdown); an empty map when none.
 *  - modrt_entry_info.fields: the whole registry entry as a map, every YAML
 *    field as written (YAML null -> nil, integers -> INT, floats -> NUMBER).
 *  - modrt_pool_api.create `options`: the entry's `pool:` map without `type`.
 *  - modrt_interceptor_api.create `options`: this interceptor's options map
 *    (runtime.interceptors defaults merged with the entry's meta.options[name]).
 *  - frame_options / modrt_call_options.options: per-call options, a map of
 *    interceptor name -> that interceptor's options map.
 *  - Call arguments: an array; a result: any value. frame_context and
 *    modrt_call_options.context: a map. actor_meta / actor_new meta: a map.
 *  - error_details: any value; entry_create errors may carry {field: "name"}
 *    to point at the entry's field.
 *  - modrt_kind_api.load_finished `out`: an array of {id, field, message} maps.
 *  - modrt_interceptor_api.stats `out`: a map of counter name -> INT or NUMBER
 *    (interceptor.metrics: {calls, errors, p50_us, p99_us}).
 *  - modrt_contract_api.describe / host contract_describe `out`: a map contract
 *    id -> {methods: [{name, description, input_schemas?, output_schemas?}],
 *    implementations: [{binding, default: bool, methods: {method: function id},
 *    context_required: [context key strings: the binding's own, then the
 *    item's]}]}; input_schemas/output_schemas as the contract.definition
 *    wrote them (a list of {format, definition} maps).
 *  - contract_resolve `out`: a string (the function id).
 *  - modrt_contract_api.describe_binding / host contract_describe_binding
 *    `out`: the shape written at describe_binding.
 *  - Security `meta` (security_allowed, security_evaluate, security_check,
 *    modrt_security_api.evaluate): NULL or a map chosen by the caller (e.g.
 *    Lua's security.can(action, resource, meta)); policy conditions read it.
 *  - security_scope_policies / scope_policies `out`: an array of policy id strings.
 *  - modrt_trigger_api.start `out`: a map; {listen: [string]} (addresses, or
 *    what else it waits on, e.g. "every 30s") when it has anything to say.
 *
 * ===== Minors (from `git log -p -- sdk/include/modrt/abi.h`; sizes on LP64) =====
 *
 *  1.0, first header (1709362): host table of 552 bytes (struct_size,
 *    abi_major, abi_minor, runtime and 66 verbs, log ... security_check);
 *    modrt_kind_api {entry_create, entry_destroy, invoke}; modrt_pool_api
 *    {create, destroy, submit, stats}; modrt_interceptor_api {create, destroy,
 *    intercept}; modrt_contract_api {validate_input, validate_output, resolve,
 *    describe}; modrt_security_api {evaluate, strict}; task flag
 *    MODRT_TASK_CALLER_WAITS.
 *  1.0, appended while the minor stayed 0:
 *    704eaf6  task flag MODRT_TASK_REENTRANT.
 *    08ca323  modrt_pool_api.flags and MODRT_POOL_SYNCHRONOUS.
 *    403b7b5  host next_invoke_with; modrt_interceptor_api.stats.
 *    987d78e  host security_allowed, security_evaluate,
 *             security_scope_policies, contract_resolve, contract_describe;
 *             modrt_kind_api.load_finished; modrt_contract_api.covers;
 *             modrt_security_api.scope_policies.
 *    The last 1.0 header's host table is 600 bytes (552 + those 6 verbs).
 *  1.1 (da2463d): no field appended: the minor was raised to mark the 987d78e
 *    appends (headers until 1.4 wrongly said minor 1 appended them).
 *  1.2 (f7879d5): host value_scalars (and modrt_scalar); pool flag
 *    MODRT_POOL_CALLER_RUNS. Host table 608 bytes.
 *  1.3 (643db41): host frame_stoppable. Host table 616 bytes.
 *  1.4 (5d1609e): host value_size_limit (a plugin that cannot use it assumes
 *    the default, 64 MiB). Also MODRT_NATIVE_MARKER and MODRT_NATIVE_EXPORT:
 *    from this kernel on, function.native binds only symbols that export their
 *    marker, so a native-function library (not a plugin: it has no descriptor,
 *    and the rule above does not cover it) built before 1.4 is rebuilt with
 *    MODRT_NATIVE_EXPORT / MODRT_NATIVE_FUNCTION. Host table 624 bytes.
 *  1.5: host contract_describe_binding; modrt_contract_api.describe_binding.
 *    Also, with no layout change: MODRT_TARGET_ABI_MINOR (rule 1), typed handle
 *    names (modrt_plugin_state & co., all `void`), security_check deprecated.
 *    A data entry kind is still a modrt_kind_api with invoke == NULL. Host
 *    table 632 bytes.
 *  1.6: triggers: MODRT_EXT_TRIGGER and modrt_trigger_api (entries that call
 *    functions on their own: HTTP services, schedules); typed handle
 *    modrt_trigger_state. A plugin providing a trigger targets minor 6 (an
 *    older kernel would not know the interface type). Host root_frame_new,
 *    root_frame_cancel, root_frame_release, frame_attachment. Host table 664
 *    bytes.
 *  1.7: entry interfaces: modrt_kind_api.entry_interface and host entry_interface,
 *    so one plugin's entries can use another plugin's through a C table named by a
 *    string (the queue plugin reaches its drivers and Lua's queue module its queues:
 *    modrt/queue.h). Host table 672 bytes.
 *  1.8: host root_frame_renew: a trigger keeps one root frame per connection or
 *    worker and renews it for each request instead of releasing it and making
 *    another (making and releasing one cost an HTTP request ~2,000 instructions,
 *    renewing ~1,000). Host table 680 bytes.
 */
#ifndef MODRT_ABI_H
#define MODRT_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** ABI major: a plugin with another major is refused. */
#define MODRT_ABI_MAJOR 1
/** ABI minor of this header (the kernel built with it speaks this minor); see the rule above. */
#define MODRT_ABI_MINOR 8

/** The oldest minor this plugin needs (rule 1): what its descriptor's abi_minor says. Define it before including this header to target an older kernel. */
#ifndef MODRT_TARGET_ABI_MINOR
#define MODRT_TARGET_ABI_MINOR MODRT_ABI_MINOR
#endif
#if MODRT_TARGET_ABI_MINOR > MODRT_ABI_MINOR
#error "MODRT_TARGET_ABI_MINOR is newer than this abi.h: build against a newer SDK, or lower the target"
#endif
#if MODRT_TARGET_ABI_MINOR < 0
#error "MODRT_TARGET_ABI_MINOR must be 0 or more"
#endif

/** Marks what nothing should use any more; it stays in the ABI (rule 3). Define MODRT_NO_DEPRECATION_WARNINGS to hush it (the kernel, which still implements it, does).
 *  Doc-only in C++ with clang: it warns at every implicit copy of the struct, which would break innocent code that copies the host table. */
#if defined(MODRT_NO_DEPRECATION_WARNINGS) || (defined(__clang__) && defined(__cplusplus))
#define MODRT_DEPRECATED(why)
#elif defined(__GNUC__)
#define MODRT_DEPRECATED(why) __attribute__((deprecated(why)))
#elif defined(__cplusplus) && __cplusplus >= 201402L
#define MODRT_DEPRECATED(why) [[deprecated(why)]]
#elif defined(_MSC_VER)
#define MODRT_DEPRECATED(why) __declspec(deprecated(why))
#else
#define MODRT_DEPRECATED(why)
#endif

/** Name of the one symbol every plugin exports. */
#define MODRT_PLUGIN_ENTRY_SYMBOL "modrt_plugin_entry"

#if defined(_WIN32)
#define MODRT_EXPORT __declspec(dllexport)
#else
#define MODRT_EXPORT __attribute__((visibility("default")))
#endif

/* ------------------------------------------------------------------------ */
/* Basic types                                                               */
/* ------------------------------------------------------------------------ */

/** A borrowed byte range; not NUL-terminated unless stated. */
typedef struct modrt_str {
    const char* ptr; /**< borrowed; may be NULL when len == 0 */
    size_t len;      /**< length in bytes */
} modrt_str;

/** Type tag of a value. */
typedef enum modrt_value_type {
    MODRT_NIL = 0,    /**< no value */
    MODRT_BOOL = 1,   /**< true/false */
    MODRT_INT = 2,    /**< signed 64-bit integer */
    MODRT_NUMBER = 3, /**< IEEE double */
    MODRT_STRING = 4, /**< UTF-8 text (not validated) */
    MODRT_BYTES = 5,  /**< arbitrary bytes */
    MODRT_ARRAY = 6,  /**< ordered list of values */
    MODRT_MAP = 7     /**< string-keyed map, insertion ordered, keys unique */
} modrt_value_type;

/** One item of an array as value_scalars reads it: its type and, for a scalar, its content. */
typedef struct modrt_scalar {
    modrt_value_type type; /**< the item's type, whatever it is */
    union {
        int64_t i; /**< MODRT_INT; MODRT_BOOL as 0 or 1 */
        double n;  /**< MODRT_NUMBER */
    } as;          /**< zero for NIL, STRING, BYTES, ARRAY and MAP (read those with value_at) */
} modrt_scalar;

/** Error kinds shared by Lua, the C ABI and the CLI. */
typedef enum modrt_error_kind {
    MODRT_ERR_UNKNOWN = 0,           /**< anything not classified */
    MODRT_ERR_NOT_FOUND = 1,         /**< a thing named does not exist */
    MODRT_ERR_ALREADY_EXISTS = 2,    /**< a thing to create exists already */
    MODRT_ERR_INVALID = 3,           /**< bad input */
    MODRT_ERR_PERMISSION_DENIED = 4, /**< the actor may not do this */
    MODRT_ERR_UNAVAILABLE = 5,       /**< temporarily unable (overload, open circuit) */
    MODRT_ERR_INTERNAL = 6,          /**< a bug or broken invariant */
    MODRT_ERR_CANCELED = 7,          /**< the call was canceled */
    MODRT_ERR_CONFLICT = 8,          /**< concurrent modification */
    MODRT_ERR_TIMEOUT = 9,           /**< the deadline passed */
    MODRT_ERR_RATE_LIMITED = 10      /**< too many requests */
} modrt_error_kind;

/** Log levels, matching spdlog's order. */
typedef enum modrt_log_level {
    MODRT_LOG_TRACE = 0, /**< very verbose */
    MODRT_LOG_DEBUG = 1, /**< debugging */
    MODRT_LOG_INFO = 2,  /**< normal operation */
    MODRT_LOG_WARN = 3,  /**< something unexpected but handled */
    MODRT_LOG_ERROR = 4  /**< an operation failed */
} modrt_log_level;

/** A tree of values, owned by the kernel; plugins reach it only via the host API. */
typedef struct modrt_value modrt_value;
/** An error: kind, message, retryable flag, optional details value, optional stack. */
typedef struct modrt_error modrt_error;
/** The frame of one call: context, actor, scope, options, cancellation, deadline. */
typedef struct modrt_frame modrt_frame;
/** Who is calling: an id and a metadata map. Immutable, reference counted. */
typedef struct modrt_actor modrt_actor;
/** The pending result of an asynchronous call. */
typedef struct modrt_future modrt_future;
/** One runtime instance (a process may hold several); named in host->runtime. */
typedef struct modrt_runtime modrt_runtime;
/** A registration made with frame_on_cancel; released with frame_off_cancel. */
typedef struct modrt_cancel_reg modrt_cancel_reg;

/* Typed handles. Each is `void`, so `modrt_plugin_state*` is `void*`: source and
 * binary compatible with every plugin written with void*; the names say which
 * handle a hook receives. The plugin owns and interprets the first four. */
/** What a plugin's init hands out in *out_plugin; passed back to the hooks of its tables. */
typedef void modrt_plugin_state;
/** An entry's handle, made by modrt_kind_api.entry_create. */
typedef void modrt_entry_state;
/** A pool, made by modrt_pool_api.create. */
typedef void modrt_pool_state;
/** An interceptor instance for one entry, made by modrt_interceptor_api.create. */
typedef void modrt_interceptor_state;
/** The kernel's state behind modrt_next.self and modrt_task.self: opaque to plugins. */
typedef void modrt_kernel_state;
/** (minor 6) A trigger's handle, made by modrt_trigger_api.create. */
typedef void modrt_trigger_state;

/* ------------------------------------------------------------------------ */
/* Registry entries as seen by plugins                                       */
/* ------------------------------------------------------------------------ */

/** A registry entry handed to the plugin that provides its kind. All borrowed; valid while the runtime lives. */
typedef struct modrt_entry_info {
    size_t struct_size;    /**< sizeof(modrt_entry_info) as built by the kernel */
    modrt_str id;          /**< the entry id "ns:name", NUL-terminated */
    modrt_str kind;        /**< e.g. "function.lua", NUL-terminated */
    modrt_str source_path; /**< `source: file://x` resolved to an absolute path; len 0 when absent; NUL-terminated */
    modrt_str method;      /**< `method` field; len 0 when absent; NUL-terminated */
    modrt_str file;        /**< the YAML file that declared the entry, NUL-terminated */
    int64_t line;          /**< 1-based line of the entry in that file */
    const modrt_value* fields; /**< the whole entry as a map (every YAML field) */
} modrt_entry_info;

/* ------------------------------------------------------------------------ */
/* Calls                                                                     */
/* ------------------------------------------------------------------------ */

/*
 * Scopes. A scope string names the policies in force for a call: a policy group
 * id ("ns:group", a named scope), or a bracketed list of policy ids
 * ("[ns:read,ns:write]"; "[]" holds none). Empty means no scope. The kernel
 * passes scopes through unchanged; the security provider interprets them.
 */

/** What a caller may change for one call (and all calls beneath it). Every field is optional. */
typedef struct modrt_call_options {
    size_t struct_size;         /**< sizeof(modrt_call_options) as built by the caller */
    const modrt_value* context; /**< borrowed map merged over the inherited context, or NULL */
    const modrt_actor* actor;   /**< borrowed actor replacing the inherited one, or NULL */
    modrt_str scope;            /**< scope string (see Scopes) replacing the inherited one; len 0 to inherit */
    int64_t timeout_ns;         /**< relative timeout; 0 for none (the parent deadline still applies) */
    const modrt_value* options; /**< borrowed map of per-call interceptor options, or NULL */
} modrt_call_options;

/** Continue an interceptor chain: call the rest of it (or the function itself). */
typedef struct modrt_next {
    modrt_kernel_state* self; /**< opaque to the interceptor */
    /** Call the remainder of the chain; may be called more than once (retry) or not at all (short-circuit). Returns owned error or NULL. */
    modrt_error* (*invoke)(modrt_kernel_state* self, modrt_frame* frame, const modrt_value* args, modrt_value* result);
} modrt_next;

/** A unit of work handed to a pool. The kernel owns it; it stays valid until run or drop is called. */
typedef struct modrt_task {
    size_t struct_size;       /**< sizeof(modrt_task) as built by the kernel */
    modrt_frame* frame;       /**< borrowed frame of the call: check it before running */
    uint32_t flags;           /**< MODRT_TASK_* bits */
    modrt_kernel_state* self; /**< opaque to the pool */
    /** Run the call on the current thread. Exactly one of run/drop is called, exactly once. */
    void (*run)(modrt_kernel_state* self);
    /** Do not run: finish the call with `reason` (ownership passes to the kernel). */
    void (*drop)(modrt_kernel_state* self, modrt_error* reason);
} modrt_task;

/** The submitting thread blocks until the task finishes: a pool may run it in place (e.g. when the caller is one of its workers). */
#define MODRT_TASK_CALLER_WAITS 1u
/** A caller up the chain is waiting on this same pool and holds one of its workers: run the task in place, or it may never start. */
#define MODRT_TASK_REENTRANT 2u

/** Counters a pool reports about itself. */
typedef struct modrt_pool_stats {
    size_t struct_size; /**< sizeof(modrt_pool_stats) as built by the kernel */
    uint64_t workers;   /**< live worker threads */
    uint64_t busy;      /**< workers running a task now */
    uint64_t queued;    /**< tasks waiting */
    uint64_t completed; /**< tasks run to the end */
    uint64_t rejected;  /**< tasks refused (queue full) or dropped (canceled before start, shutdown) */
} modrt_pool_stats;

/** Result of a security evaluation. */
typedef enum modrt_decision {
    MODRT_DECISION_UNDEFINED = 0, /**< no policy matched */
    MODRT_DECISION_ALLOW = 1,     /**< an allow matched and no deny */
    MODRT_DECISION_DENY = 2       /**< a deny matched */
} modrt_decision;

/** Completion callback registered on a future. */
typedef void (*modrt_future_cb)(void* user, modrt_future* future);
/** Cancellation callback registered on a frame; gets the cause (MODRT_ERR_CANCELED or MODRT_ERR_TIMEOUT). */
typedef void (*modrt_cancel_cb)(void* user, modrt_error_kind cause);

/* ------------------------------------------------------------------------ */
/* Host API: what the kernel offers every plugin                             */
/* ------------------------------------------------------------------------ */

/** Functions the kernel hands to a plugin at init. Valid until the plugin's shutdown. Thread-safe unless stated. */
typedef struct modrt_host_api {
    size_t struct_size;     /**< sizeof(modrt_host_api) as built by the kernel */
    uint32_t abi_major;     /**< the kernel's MODRT_ABI_MAJOR */
    uint32_t abi_minor;     /**< the kernel's MODRT_ABI_MINOR */
    modrt_runtime* runtime; /**< the runtime this plugin instance serves; pass it to the runtime-level calls below */

    /* -- logging, memory, clock -- */
    /** Log through the kernel's logger; `source` names the plugin. */
    void (*log)(modrt_log_level level, modrt_str source, modrt_str message);
    /** Whether `level` is enabled, to skip formatting. */
    int (*log_enabled)(modrt_log_level level);
    /** Allocate `size` bytes (max_align aligned); free with host->free. NULL on failure. */
    void* (*alloc)(size_t size);
    /** Free memory from host->alloc; NULL is ignored. */
    void (*free)(void* ptr);
    /** Monotonic clock in nanoseconds (same clock as deadlines). */
    int64_t (*now_ns)(void);

    /* -- values: creation and release -- */
    /** New nil value; owned: release with value_free. NULL when out of memory (see value writing). */
    modrt_value* (*value_new)(void);
    /** Release a value from value_new (never a child slot). NULL is ignored. */
    void (*value_free)(modrt_value* value);
    /** Deep-copy `src` into `dst`, replacing dst's content. */
    void (*value_copy)(modrt_value* dst, const modrt_value* src);

    /* -- values: reading (all returned pointers borrowed, valid until the value changes) -- */
    /** Type tag; NULL reads as MODRT_NIL. */
    modrt_value_type (*value_type)(const modrt_value* value);
    /** Bool content; 0 unless MODRT_BOOL. */
    int (*value_bool)(const modrt_value* value);
    /** Integer content; a NUMBER is truncated; 0 for other types. */
    int64_t (*value_int)(const modrt_value* value);
    /** Number content; an INT is converted; 0 for other types. */
    double (*value_number)(const modrt_value* value);
    /** String or bytes content (NUL-terminated); {NULL,0} for other types. */
    modrt_str (*value_string)(const modrt_value* value);
    /** Number of items of an array or map; 0 for other types. */
    size_t (*value_len)(const modrt_value* value);
    /** Item i of an array or the value of map pair i; NULL when out of range. */
    const modrt_value* (*value_at)(const modrt_value* value, size_t index);
    /** Key of map pair i; {NULL,0} when out of range or not a map. */
    modrt_str (*value_key_at)(const modrt_value* value, size_t index);
    /** Value stored under `key` in a map; NULL when absent or not a map. */
    const modrt_value* (*value_find)(const modrt_value* value, modrt_str key);

    /* -- values: writing (replace the content of `value`) --
     * Out of memory, a writer leaves `value` nil, and value_push/value_insert return NULL;
     * every writer ignores a NULL value. Nothing is thrown: the kernel instead fails the
     * hook that was running on this thread with INTERNAL "ran out of memory". */
    /** Set to nil. */
    void (*value_set_nil)(modrt_value* value);
    /** Set to a bool. */
    void (*value_set_bool)(modrt_value* value, int b);
    /** Set to an integer. */
    void (*value_set_int)(modrt_value* value, int64_t i);
    /** Set to a number. */
    void (*value_set_number)(modrt_value* value, double n);
    /** Set to a copy of the string `s`. */
    void (*value_set_string)(modrt_value* value, modrt_str s);
    /** Set to a copy of the bytes `b`. */
    void (*value_set_bytes)(modrt_value* value, modrt_str b);
    /** Set to an empty array with room for `reserve` items. */
    void (*value_set_array)(modrt_value* value, size_t reserve);
    /** Set to an empty map with room for `reserve` pairs. */
    void (*value_set_map)(modrt_value* value, size_t reserve);
    /** Append a nil item to an array (turning a non-array into an empty array first); returns the item, owned by the parent and valid until the parent's next push/insert/set. */
    modrt_value* (*value_push)(modrt_value* array);
    /** Insert or replace `key` in a map (turning a non-map into an empty map first); returns the slot (reset to nil), owned by the parent and valid until the parent's next push/insert/set. */
    modrt_value* (*value_insert)(modrt_value* map, modrt_str key);

    /* -- errors -- */
    /** New error; owned: release with error_free or return it from a hook. */
    modrt_error* (*error_new)(modrt_error_kind kind, modrt_str message);
    /** Release an error. NULL is ignored. */
    void (*error_free)(modrt_error* error);
    /** Deep copy; owned. */
    modrt_error* (*error_clone)(const modrt_error* error);
    /** Kind of an error. */
    modrt_error_kind (*error_kind)(const modrt_error* error);
    /** Message (NUL-terminated); borrowed, valid while the error lives. */
    modrt_str (*error_message)(const modrt_error* error);
    /** Whether retrying may succeed. Defaults by kind (UNAVAILABLE, TIMEOUT, RATE_LIMITED, CONFLICT: yes). */
    int (*error_retryable)(const modrt_error* error);
    /** Override the retryable flag. */
    void (*error_set_retryable)(modrt_error* error, int retryable);
    /** Details value, or NULL when none; borrowed. */
    const modrt_value* (*error_details)(const modrt_error* error);
    /** Details slot to write into (created as nil on first use); borrowed. */
    modrt_value* (*error_details_mut)(modrt_error* error);
    /** Stack trace text (NUL-terminated), {NULL,0} when none; borrowed. */
    modrt_str (*error_stack)(const modrt_error* error);
    /** Set the stack trace text (copied). */
    void (*error_set_stack)(modrt_error* error, modrt_str stack);
    /** Prefix the message with `context` (as "context: message"), keeping kind, details and stack. */
    void (*error_wrap)(modrt_error* error, modrt_str context);

    /* -- frames (the caller's frame is borrowed by every hook that receives it) -- */
    /** Target id of the call this frame belongs to (NUL-terminated); {NULL,0} for a root frame. */
    modrt_str (*frame_target)(const modrt_frame* frame);
    /** Context value under `key`, inherited from ancestors; NULL when absent. Borrowed, valid while the frame lives. */
    const modrt_value* (*frame_context_get)(const modrt_frame* frame, modrt_str key);
    /** The whole effective context as a map (borrowed, valid while the frame lives). */
    const modrt_value* (*frame_context)(const modrt_frame* frame);
    /** The frame's actor, NULL when anonymous. Borrowed, valid while the frame lives. */
    const modrt_actor* (*frame_actor)(const modrt_frame* frame);
    /** The frame's named scope (NUL-terminated), {NULL,0} when none. */
    modrt_str (*frame_scope)(const modrt_frame* frame);
    /** Per-call options map (borrowed; NULL when none). */
    const modrt_value* (*frame_options)(const modrt_frame* frame);
    /** 0 while the call may go on; else MODRT_ERR_CANCELED or MODRT_ERR_TIMEOUT (this frame, an ancestor, or a deadline). */
    modrt_error_kind (*frame_canceled)(const modrt_frame* frame);
    /** Absolute deadline on the now_ns clock; 0 when none. */
    int64_t (*frame_deadline_ns)(const modrt_frame* frame);
    /** Call `cb` once when this frame (or an ancestor) is canceled; called at once if it already is, or is past its deadline. A deadline passing later does not call it (compare frame_deadline_ns with now_ns). Owned: release with frame_off_cancel. */
    modrt_cancel_reg* (*frame_on_cancel)(modrt_frame* frame, modrt_cancel_cb cb, void* user);
    /** Remove a registration; after it returns the callback is not running and will not run. NULL is ignored. */
    void (*frame_off_cancel)(modrt_cancel_reg* reg);

    /* -- actors -- */
    /** New actor (id and meta copied; meta may be NULL). Owned: release with actor_release. */
    modrt_actor* (*actor_new)(modrt_str id, const modrt_value* meta);
    /** Add a reference. */
    void (*actor_retain)(const modrt_actor* actor);
    /** Drop a reference. NULL is ignored. */
    void (*actor_release)(const modrt_actor* actor);
    /** Actor id (NUL-terminated), borrowed. */
    modrt_str (*actor_id)(const modrt_actor* actor);
    /** Actor metadata map (borrowed; never NULL). */
    const modrt_value* (*actor_meta)(const modrt_actor* actor);

    /* -- calling other functions -- */
    /** Call `id` synchronously as a child of `parent` (NULL: a root call). Writes the result into `result`; returns owned error or NULL. */
    modrt_error* (*call)(modrt_runtime* runtime, modrt_frame* parent, modrt_str id, const modrt_value* args,
                         const modrt_call_options* options, modrt_value* result);
    /** Start `id` asynchronously as a child of `parent`; *out receives an owned future (release with future_release). */
    modrt_error* (*call_async)(modrt_runtime* runtime, modrt_frame* parent, modrt_str id, const modrt_value* args,
                               const modrt_call_options* options, modrt_future** out);
    /** 1 when the future has finished (with a result, an error or cancellation). */
    int (*future_done)(const modrt_future* future);
    /** Block until done, or until `waiter` (may be NULL) is canceled; returns owned error (CANCELED/TIMEOUT of the waiter) or NULL when done. */
    modrt_error* (*future_wait)(modrt_future* future, const modrt_frame* waiter);
    /** Copy the finished result into `result`; returns the call's error (owned copy) or NULL. UNAVAILABLE if not done. */
    modrt_error* (*future_result)(const modrt_future* future, modrt_value* result);
    /** Cancel the call and everything beneath it; returns 1 if it was still running. */
    int (*future_cancel)(modrt_future* future);
    /** Call `cb` once when done (at once if already done), from the finishing thread. */
    void (*future_on_done)(modrt_future* future, modrt_future_cb cb, void* user);
    /** Drop the caller's reference; an unfinished call is canceled. NULL is ignored. */
    void (*future_release)(modrt_future* future);

    /* -- registry and runtime -- */
    /** Look up an entry by id; NULL when absent. Borrowed, valid while the runtime lives. */
    const modrt_entry_info* (*entry_find)(modrt_runtime* runtime, modrt_str id);
    /** Resolve `symbol` (NUL-terminated) in the shared library at `path` (NUL-terminated), kept loaded while the runtime lives; NULL with *error set (owned) on failure. */
    void* (*library_symbol)(modrt_runtime* runtime, modrt_str path, modrt_str symbol, modrt_error** error);
    /** Stats of the pool that runs entry `id`; returns NOT_FOUND/INVALID errors when it cannot. */
    modrt_error* (*pool_stats)(modrt_runtime* runtime, modrt_str id, modrt_pool_stats* out);
    /** Deprecated since 1.5 (nothing uses it; kept and still implemented, rule 3): use security_allowed, which applies strict mode, or security_evaluate. The security provider's decision for the frame's actor doing `action` on `resource` in the frame's scope (meta may be NULL); strict mode not applied; ALLOW without a provider. */
    MODRT_DEPRECATED("use security_allowed or security_evaluate")
    modrt_decision (*security_check)(const modrt_frame* frame, modrt_str action, modrt_str resource,
                                     const modrt_value* meta);

    /* -- 1.0, appended in 403b7b5 (a plugin targeting minor 0 checks struct_size first) -- */
    /** Like next->invoke, but the rest of the chain runs in a child frame of `frame` with `options` applied (context merged, actor, scope, timeout; options->options replaces the per-call options when set). Canceling `frame` cancels the child. Returns owned error or NULL. */
    modrt_error* (*next_invoke_with)(const modrt_next* next, modrt_frame* frame, const modrt_call_options* options,
                                     const modrt_value* args, modrt_value* result);

    /* -- 1.0, appended in 987d78e (a plugin targeting minor 0 checks struct_size first) -- */
    /** 1 when the frame's actor may do `action` on `resource` in the frame's scope: ALLOW, or UNDEFINED in a non-strict runtime, or no provider loaded. */
    int (*security_allowed)(const modrt_frame* frame, modrt_str action, modrt_str resource, const modrt_value* meta);
    /** The provider's decision for `actor` (NULL: anonymous) doing `action` on `resource` within `scope` (see Scopes); strict mode not applied; ALLOW without a provider. */
    modrt_decision (*security_evaluate)(modrt_runtime* runtime, const modrt_actor* actor, modrt_str scope,
                                        modrt_str action, modrt_str resource, const modrt_value* meta);
    /** Write the ids of the policies `scope` holds into `out` (an array of strings); NOT_FOUND for a missing group or policy, UNAVAILABLE when no provider lists scopes. */
    modrt_error* (*security_scope_policies)(modrt_runtime* runtime, modrt_str scope, modrt_value* out);

    /* -- 1.0, appended in 987d78e, continued: contracts -- */
    /** Resolve `method` of `binding` (a binding id, or a contract id for its default binding) to a function id written into `out` as a string; NOT_FOUND when something named is missing, UNAVAILABLE without a contract provider. */
    modrt_error* (*contract_resolve)(modrt_runtime* runtime, modrt_str binding, modrt_str method, modrt_value* out);
    /** Describe every contract into `out` (the shape of modrt_contract_api.describe); UNAVAILABLE without a contract provider. */
    modrt_error* (*contract_describe)(modrt_runtime* runtime, modrt_value* out);

    /* -- minor 2 -- */
    /** Read the first `max` items of an array into out[0..max) with one call (a kind converting a call's arguments); returns the array's length, which may exceed `max`; 0 for anything but an array. */
    size_t (*value_scalars)(const modrt_value* array, modrt_scalar* out, size_t max);

    /* -- minor 3 -- */
    /** 1 when something may stop the call while it runs (a deadline, or a caller that can be canceled: a canceler, a future); 0 when nothing can, so a kind may skip its in-call cancellation checks. */
    int (*frame_stoppable)(const modrt_frame* frame);

    /* -- minor 4 -- */
    /** The runtime's max_value_size (runtime.limits): the most bytes one call's arguments or result may take, counting string and key bytes plus 96 per value (what a value occupies in memory). A kind converting a value counts as it goes and stops as soon as it passes this, instead of building the whole value first. */
    uint64_t (*value_size_limit)(modrt_runtime* runtime);

    /* -- minor 5 -- */
    /** Describe one binding into `out` (the shape of modrt_contract_api.describe_binding); `binding` is a binding id, or a contract id for its default binding. NOT_FOUND when neither exists or the contract has no default binding, INVALID for a malformed id, UNAVAILABLE when the binding did not load or without a contract provider. */
    modrt_error* (*contract_describe_binding)(modrt_runtime* runtime, modrt_str binding, modrt_value* out);

    /* -- minor 6: root frames, the parents of a trigger's calls -- */
    /** A root frame carrying `options` (context, actor, scope; timeout_ns counts from now as the deadline; what it leaves unset comes from runtime.security's outside caller) and, when attachment_key.len > 0, lending `attachment` under that key (frame_attachment). Pass it as `parent` to call / call_async: root_frame_cancel then cancels every call beneath it, even one running inline on this thread. Owned: release with root_frame_release once every call made under it has returned. */
    modrt_frame* (*root_frame_new)(modrt_runtime* runtime, const modrt_call_options* options, modrt_str attachment_key,
                                   void* attachment);
    /** Cancel a root frame and every call beneath it (CANCELED); from any thread, any number of times. */
    void (*root_frame_cancel)(modrt_frame* frame);
    /** Release a root frame from root_frame_new. NULL is ignored. */
    void (*root_frame_release)(modrt_frame* frame);
    /** What the root frame above `frame` (or `frame` itself) lends under `key`; NULL when none. Calls made with call_async see none (they may outlive the lender). Borrowed: valid while the root frame lives. */
    void* (*frame_attachment)(const modrt_frame* frame, modrt_str key);

    /* -- minor 7: entry interfaces -- */
    /** The C interface `name` (e.g. "modrt.queue.driver/1") that entry `id` offers other plugins: its kind's entry_interface. Returns the table (static storage, struct_size first) and writes into *out_self what to pass to its functions (valid while the runtime lives); NULL when the entry is missing, failed to load, or offers no such interface. */
    const void* (*entry_interface)(modrt_runtime* runtime, modrt_str id, modrt_str name, void** out_self);

    /* -- minor 8: renewing a root frame -- */
    /** Make `frame` (from root_frame_new or root_frame_renew, every call made under it returned) a fresh root frame with `options`, `attachment_key` and `attachment`, exactly as root_frame_release then root_frame_new would (its children are canceled, its cancellation, deadline, context, actor and scope are forgotten), but keeping its memory. Returns `frame`; NULL when out of memory, and then `frame` is released. NULL `frame` makes a new one in `runtime`; otherwise `runtime` must be the frame's. */
    modrt_frame* (*root_frame_renew)(modrt_runtime* runtime, modrt_frame* frame, const modrt_call_options* options,
                                     modrt_str attachment_key, void* attachment);
} modrt_host_api;

/* ------------------------------------------------------------------------ */
/* The extension interfaces                                                  */
/* ------------------------------------------------------------------------ */

/** What a `provides` item is. */
typedef enum modrt_extension_type {
    MODRT_EXT_FUNCTION_KIND = 1, /**< a registry entry kind, callable when `invoke` is set (modrt_kind_api) */
    MODRT_EXT_POOL = 2,          /**< a pool type (modrt_pool_api) */
    MODRT_EXT_INTERCEPTOR = 3,   /**< an interceptor (modrt_interceptor_api) */
    MODRT_EXT_CONTRACT = 4,      /**< a contract provider (modrt_contract_api) */
    MODRT_EXT_SECURITY = 5,      /**< a security provider (modrt_security_api) */
    MODRT_EXT_TRIGGER =
        6 /**< (minor 6) a registry entry kind whose entries call functions on their own (modrt_trigger_api) */
} modrt_extension_type;

/** A registry entry kind: `function.lua`, `function.native`, or a data kind like `library.lua` (invoke == NULL). */
typedef struct modrt_kind_api {
    size_t struct_size; /**< sizeof(modrt_kind_api) as built by the plugin */
    /** Check and prepare an entry at load; *out_entry receives the plugin's handle. Errors may carry details {field: "name"} to point at a field. */
    modrt_error* (*entry_create)(modrt_plugin_state* plugin, const modrt_entry_info* info,
                                 modrt_entry_state** out_entry);
    /** Release an entry handle from entry_create. */
    void (*entry_destroy)(modrt_plugin_state* plugin, modrt_entry_state* entry);
    /** Run the function on the current thread; args is an array; writes `result`. The kernel checks the frame for cancellation just before. NULL for non-callable kinds. */
    modrt_error* (*invoke)(modrt_plugin_state* plugin, modrt_entry_state* entry, modrt_frame* frame,
                           const modrt_value* args, modrt_value* result);
    /** May be NULL (and is absent from older tables): called once after a registry load created every entry, to check what entries say about each other; append problems to the array `out` as maps {id, field, message}, reported as registry errors of entry `id` (whose calls then fail). */
    void (*load_finished)(modrt_plugin_state* plugin, modrt_value* out);
    /** (minor 7) May be NULL: the C interface `name` this entry offers other plugins (host entry_interface), or NULL for none; *out_self receives what to pass to the table's functions. Interfaces are named by the header that defines them (modrt/queue.h). */
    const void* (*entry_interface)(modrt_plugin_state* plugin, modrt_entry_state* entry, modrt_str name,
                                   void** out_self);
} modrt_kind_api;

/** A pool type: decides on which thread a task runs. */
typedef struct modrt_pool_api {
    size_t struct_size; /**< sizeof(modrt_pool_api) as built by the plugin */
    /** Make a pool from its registry options (a map, never NULL); *out_pool receives the handle. Unknown or bad options are INVALID errors. */
    modrt_error* (*create)(modrt_plugin_state* plugin, const modrt_value* options, modrt_pool_state** out_pool);
    /** Finish or drop every queued task, join every thread, release the pool. */
    void (*destroy)(modrt_plugin_state* plugin, modrt_pool_state* pool);
    /** Accept a task: later call exactly one of task->run / task->drop. A returned error (owned) means refused: neither will be called. */
    modrt_error* (*submit)(modrt_pool_state* pool, modrt_task* task);
    /** Fill the counters (may be NULL: no stats). */
    void (*stats)(modrt_pool_state* pool, modrt_pool_stats* out);
    /** MODRT_POOL_* bits describing every pool of this type. */
    uint32_t flags;
} modrt_pool_api;

/** The pool runs (or drops) every task on the submitting thread before submit returns; the kernel then skips its hand-off machinery. */
#define MODRT_POOL_SYNCHRONOUS 1u
/** (minor 2) With SYNCHRONOUS: submit does nothing but run the task at once, so the kernel may run the task itself without calling submit; it then counts those calls (busy, completed) into the pool's stats. */
#define MODRT_POOL_CALLER_RUNS 2u

/** A link of the interceptor chain. */
typedef struct modrt_interceptor_api {
    size_t struct_size; /**< sizeof(modrt_interceptor_api) as built by the plugin */
    /** Make an instance for one entry from its options map (never NULL); *out receives the handle. */
    modrt_error* (*create)(modrt_plugin_state* plugin, const modrt_entry_info* entry, const modrt_value* options,
                           modrt_interceptor_state** out);
    /** Release an instance. */
    void (*destroy)(modrt_plugin_state* plugin, modrt_interceptor_state* instance);
    /** Handle one call: inspect/modify, call next->invoke zero or more times, wrap the result. Returns owned error or NULL. */
    modrt_error* (*intercept)(modrt_interceptor_state* instance, modrt_frame* frame, const modrt_value* args,
                              modrt_value* result, const modrt_next* next);
    /** May be NULL (and is absent from older tables): describe the instance's counters as a map written into `out` (for `modrt call --stats`). */
    void (*stats)(modrt_interceptor_state* instance, modrt_value* out);
} modrt_interceptor_api;

/** A contract provider: schemas, bindings and validation. */
typedef struct modrt_contract_api {
    size_t struct_size; /**< sizeof(modrt_contract_api) as built by the plugin */
    /** Validate the arguments of a call to `target` before it runs; NULL when valid or when no contract covers target. */
    modrt_error* (*validate_input)(modrt_plugin_state* plugin, modrt_str target, const modrt_value* args);
    /** Validate the result of a call to `target`; NULL when valid or not covered. */
    modrt_error* (*validate_output)(modrt_plugin_state* plugin, modrt_str target, const modrt_value* result);
    /** Resolve `method` of `binding` (a binding id, or a contract id for its default) to a function id written into `out` as a string. */
    modrt_error* (*resolve)(modrt_plugin_state* plugin, modrt_str binding, modrt_str method, modrt_value* out);
    /** Describe every contract as a map: contract id -> {methods: [{name, description, input_schemas, output_schemas}], implementations: [{binding, default, methods: {method: function id}}]}. */
    modrt_error* (*describe)(modrt_plugin_state* plugin, modrt_value* out);
    /** May be NULL (all covered): 0 when no contract covers `target`, so the kernel skips validate_input/validate_output for it. Asked once per entry after each registry load. */
    int (*covers)(modrt_plugin_state* plugin, modrt_str target);
    /** (minor 5) May be NULL (and is absent from older tables: the kernel then derives it from describe): describe the binding `binding` (a binding id, or a contract id for its default binding) into `out`; errors as the host's contract_describe_binding. */
    /* Shape of `out`: a map {binding: string (the binding's id), default_of: string (only when `binding` named a contract: that contract),
     * contracts: [{contract: string, default: bool, methods: {<method name>: <function id string>}, context_required: [string]}]}:
     * one item per contract the binding implements, in the binding's order; context_required lists the binding-level keys, then the item's own. */
    modrt_error* (*describe_binding)(modrt_plugin_state* plugin, modrt_str binding, modrt_value* out);
} modrt_contract_api;

/** A security provider: evaluates policies for an actor within a scope. */
typedef struct modrt_security_api {
    size_t struct_size; /**< sizeof(modrt_security_api) as built by the plugin */
    /** Decide `action` on `resource` for `actor` (NULL: anonymous) within the named `scope` (len 0: none); meta may be NULL. */
    modrt_decision (*evaluate)(modrt_plugin_state* plugin, const modrt_actor* actor, modrt_str scope, modrt_str action,
                               modrt_str resource, const modrt_value* meta);
    /** Whether UNDEFINED counts as deny (strict mode); a runtime.security entry's `strict` overrides it. May be NULL: strict. */
    int (*strict)(modrt_plugin_state* plugin);
    /** May be NULL (and is absent from older tables): write the ids of the policies `scope` holds into `out` as an array of strings; NOT_FOUND for a missing group or policy. */
    modrt_error* (*scope_policies)(modrt_plugin_state* plugin, modrt_str scope, modrt_value* out);
} modrt_security_api;

/** (minor 6) A trigger: a registry entry kind (`http.service`, `schedule.function`) whose entries,
 *  once started, call functions on threads of their own, as root calls through host->call /
 *  call_async with host->runtime, choosing each call's actor, scope, context and deadline
 *  (modrt_call_options). The kernel creates one per entry at load, starts the entries whose
 *  `lifecycle.auto_start` is true (default) when the runtime is served (`modrt serve`), and
 *  stops them at shutdown, each within its `lifecycle.stop_timeout` (default 10s). The
 *  `lifecycle` block is the kernel's except `lifecycle.security`, which the plugin reads. */
typedef struct modrt_trigger_api {
    size_t struct_size; /**< sizeof(modrt_trigger_api) as built by the plugin */
    /** Check and prepare one entry at load: no threads or sockets yet; *out receives the handle. Errors may carry details {field: "name"}. */
    modrt_error* (*create)(modrt_plugin_state* plugin, const modrt_entry_info* entry, modrt_trigger_state** out);
    /** Start taking work (bind, spawn threads). An owned error (port in use, ...) fails the start of the runtime, and its details may carry {field}; the trigger then holds nothing running. May write into `out` (a map) {listen: [string]}: what it listens on, for the start log. */
    modrt_error* (*start)(modrt_trigger_state* trigger, modrt_value* out);
    /** Stop taking work at once; let the calls it made finish until `deadline_ns` (the now_ns clock), then cancel those still running; return once every one has returned and its threads are joined. Called at most once per start, from any thread. */
    void (*stop)(modrt_trigger_state* trigger, int64_t deadline_ns);
    /** Release the handle (after stop, or never started). */
    void (*destroy)(modrt_plugin_state* plugin, modrt_trigger_state* trigger);
    /** May be NULL: as modrt_kind_api.load_finished, once per load for the plugin's trigger kinds (e.g. check that the function an entry calls exists). */
    void (*load_finished)(modrt_plugin_state* plugin, modrt_value* out);
} modrt_trigger_api;

/* ------------------------------------------------------------------------ */
/* The plugin descriptor                                                     */
/* ------------------------------------------------------------------------ */

/** One thing a plugin provides. */
typedef struct modrt_provide {
    size_t struct_size;        /**< sizeof(modrt_provide) as built by the plugin */
    modrt_extension_type type; /**< which interface `api` points to */
    const char* name;          /**< registry name, e.g. "pool.static", "function.lua"; static storage */
    const void* api;           /**< a modrt_*_api table of `type`; static storage */
} modrt_provide;

/** What the entry symbol returns; all pointers have static storage. */
typedef struct modrt_plugin_descriptor {
    size_t struct_size;            /**< sizeof(modrt_plugin_descriptor) as built by the plugin */
    uint32_t abi_major;            /**< MODRT_ABI_MAJOR the plugin was built with */
    uint32_t abi_minor;            /**< the oldest minor the plugin needs: MODRT_TARGET_ABI_MINOR (rule 1) */
    const char* name;              /**< plugin name, e.g. "pool.inline" */
    const char* version;           /**< plugin version, e.g. "1.0.0" */
    const modrt_provide* provides; /**< array of provides_count items */
    size_t provides_count;         /**< number of items in provides */
    /** Start the plugin; *out_plugin receives the state passed to every hook. Returns owned error or NULL. */
    modrt_error* (*init)(const modrt_host_api* host, const modrt_value* config, modrt_plugin_state** out_plugin);
    /** Stop the plugin after everything it made is destroyed. May be NULL. */
    void (*shutdown)(modrt_plugin_state* plugin);
} modrt_plugin_descriptor;

/** The first three descriptor fields for designated initialisers, stamping the target minor (rule 1):
 *  `static const modrt_plugin_descriptor d = {MODRT_PLUGIN_DESCRIPTOR_HEAD, .name = "acme.x", ...};` (C, or C++20 in field order). */
#define MODRT_PLUGIN_DESCRIPTOR_HEAD \
    .struct_size = sizeof(modrt_plugin_descriptor), .abi_major = MODRT_ABI_MAJOR, .abi_minor = MODRT_TARGET_ABI_MINOR

/** Signature of the exported entry symbol `modrt_plugin_entry`. */
typedef const modrt_plugin_descriptor* (*modrt_plugin_entry_fn)(void);

/** Signature of a `function.native` function: `method: symbol` names one of these in `source: file://lib.so`. */
typedef modrt_error* (*modrt_native_fn)(const modrt_host_api* host, modrt_frame* frame, const modrt_value* args,
                                        modrt_value* result);

/** function.native binds `name` only if the library also exports `modrt_native_marker_<name>` (a uint64_t) holding this value: a fixed tag plus the ABI major. */
#define MODRT_NATIVE_MARKER (UINT64_C(0x6d6f6472746e0000) | (uint64_t)MODRT_ABI_MAJOR)
/** C only: `MODRT_NATIVE_EXPORT(name);` declares modrt_native_fn `name` and exports its marker (also usable as `MODRT_NATIVE_EXPORT(name) { body }`). */
#define MODRT_NATIVE_EXPORT(NAME)                                                                           \
    MODRT_EXPORT extern const uint64_t modrt_native_marker_##NAME;                                          \
    MODRT_EXPORT const uint64_t modrt_native_marker_##NAME = MODRT_NATIVE_MARKER;                           \
    MODRT_EXPORT modrt_error* NAME(const modrt_host_api* host, modrt_frame* frame, const modrt_value* args, \
                                   modrt_value* result)

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* MODRT_ABI_H */
