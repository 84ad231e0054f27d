"""« Proposer une aide » (docs/interfaces.md §9): proposals checked by the rules of `aidess
validate`, stored with the editors' mail (the ready-to-commit file attached) in one
transaction, and imported by `aidess propositions importer`."""
