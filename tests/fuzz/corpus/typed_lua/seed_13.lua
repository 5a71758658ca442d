local function sum(...: number): (number, string?)
  return 1, nil
end