local name = (user!).name
local u = data :: User
local v = data as User