type User = {name: string, age: number}
local u = User(data)