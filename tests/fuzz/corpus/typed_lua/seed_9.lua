type StringMap = {[string]: number}
type StringArray = {string}