local s = [==[ a: number ]==] --[[ x: T
]] return s