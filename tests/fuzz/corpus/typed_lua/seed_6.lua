local x: number @min(0) @max(100) = 50
local email: string @pattern("^.+@.+$") = "a@b.c"