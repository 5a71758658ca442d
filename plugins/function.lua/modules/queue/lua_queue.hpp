// The `queue` host module (Wippy's lua/storage/queue.md), over modrt/queue.h:
//
//   queue.publish(queue_id, body, headers?)  true, err   body: any value the queue's codec
//                                                        encodes; headers: strings (numbers and
//                                                        booleans become text). Needs
//                                                        queue.publish and queue.publish.queue.
//   queue.message()                          Message, err  the message this call handles
//                                                        (INVALID outside a consumer's call and
//                                                        its synchronous calls)
//   queue.info(queue_id)                     table, err  the driver's counters
//   msg:id(), msg:header(name), msg:headers(), msg:ack(), msg:nack()
//
// ack/nack settle at once instead of by the result (single-shot: false, err once settled).
#pragma once

#include <lua.hpp>

namespace modrt::lua {

/// lua_CFunction opener: pushes the module table.
int open_queue_module(lua_State* L);

}  // namespace modrt::lua
