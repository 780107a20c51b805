"""One module per kind of input file; each turns a file into validated observations."""
