/// Bad-input cases for command-line arguments and output.
let argumentBadInputs: [BadInput] = [
]
