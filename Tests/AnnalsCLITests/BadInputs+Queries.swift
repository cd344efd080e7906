/// Bad-input cases for queries and the domain's answers.
let queryBadInputs: [BadInput] = [
]
