// The function.lua plugin: the function.lua kind and the library.lua data kind.
#include "loading/library_kind.hpp"
#include "loading/lua_kind.hpp"

#include <modrt/sdk.hpp>

MODRT_PLUGIN("function.lua", "0.1.0", modrt::provide_kind<modrt::lua::LuaKind>("function.lua"),
             modrt::provide_data_kind<modrt::lua::LibraryKind>("library.lua"))
