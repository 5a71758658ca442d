local double: (number) -> number = function(x: number): number
    return x * 2
end