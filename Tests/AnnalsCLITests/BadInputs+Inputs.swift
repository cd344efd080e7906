/// Bad-input cases for fact files, JSON Lines, article texts, paths and limits.
let inputFileBadInputs: [BadInput] = [
]
