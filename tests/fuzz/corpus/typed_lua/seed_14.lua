type Node = {value: number, next: Node?}
type L = [[a
b]] | 1 | -2 | true