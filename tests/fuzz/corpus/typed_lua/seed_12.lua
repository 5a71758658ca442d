type Config = {
    host: string,
    timeout?: number,
    ["content-type"]: string
}
local c: Config? = nil