// Native functions the security tests call (function.native; not a plugin).
#include <modrt/sdk.hpp>

#include <string>

// whoami() -> {actor = id or nil, role = actor.meta.role or nil, scope = the frame's scope}
MODRT_NATIVE_FUNCTION(whoami) {
    result.set_map();
    const modrt_actor* actor = frame.actor();
    if (actor != nullptr) {
        result.insert("actor").set_string(modrt::to_view(modrt::host_api().actor_id(actor)));
        modrt::ValueView role = modrt::ValueView(modrt::host_api().actor_meta(actor)).find("role");
        if (!role.is_nil()) result.insert("role").copy_from(role);
    }
    result.insert("scope").set_string(frame.scope());
    return {};
}

// nested(id) -> what `id` returns, called as a child with nothing changed
MODRT_NATIVE_FUNCTION(nested) {
    modrt::Value no_args;
    no_args.slot().set_array();
    return host.call(frame.raw(), args[0].as_string(), no_args.view(), result);
}

// call_as(id, actor_id, scope) -> `id` called with a new actor ("" keeps it) and scope ("" keeps it)
MODRT_NATIVE_FUNCTION(call_as) {
    modrt::Value no_args;
    no_args.slot().set_array();
    modrt_call_options o{};
    o.struct_size = sizeof(o);
    std::string_view actor_id = args[1].as_string(), scope = args[2].as_string();
    modrt_actor* actor = actor_id.empty() ? nullptr : modrt::host_api().actor_new(modrt::to_str(actor_id), nullptr);
    o.actor = actor;
    o.scope = modrt::to_str(scope);
    modrt::Error err = host.call(frame.raw(), args[0].as_string(), no_args.view(), result, &o);
    modrt::host_api().actor_release(actor);
    return err;
}

// call_with_context(id) -> `id` called with context {tenant = "t1"}
MODRT_NATIVE_FUNCTION(call_with_context) {
    modrt::Value no_args, context;
    no_args.slot().set_array();
    context.slot().insert("tenant").set_string("t1");
    modrt_call_options o{};
    o.struct_size = sizeof(o);
    o.context = context.raw();
    return host.call(frame.raw(), args[0].as_string(), no_args.view(), result, &o);
}

// can(action, resource[, meta]) -> security_allowed for the calling frame
MODRT_NATIVE_FUNCTION(can) {
    int ok = modrt::host_api().security_allowed(frame.raw(), modrt::to_str(args[0].as_string()),
                                                modrt::to_str(args[1].as_string()),
                                                args.size() > 2 ? args[2].raw() : nullptr);
    result.set_bool(ok != 0);
    return {};
}
