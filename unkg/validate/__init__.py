"""Validation: the SHACL shapes compiled to SPARQL (`shacl_sparql`), pySHACL as the reference,
the SPARQL checks of `unkg/queries/checks/`, and readable reports (`runner`)."""
