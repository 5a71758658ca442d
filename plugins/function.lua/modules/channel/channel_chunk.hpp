// The Lua source of the channel global's operations, coroutine.spawn and the
// scheduler that runs a call's coroutines (Wippy's channel.md). Loaded once per
// state by push_channel_module with the C primitives it builds on.
#pragma once

namespace modrt::lua {

/// The chunk: called with a table of primitives (lua_channel.cpp), returns
/// {methods=, new=, select=, spawn=, make_sleep=}.
extern const char* const kChannelChunk;

}  // namespace modrt::lua
