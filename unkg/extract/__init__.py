"""Text → `Document`: the language analysis every source format shares.

`structure` (header, letter parts, preambular/operative paragraphs, footnotes), `symbols`, `dates`,
`citations`, `entities` (gazetteer over the authority lists), `links` (institutional links), and
`document`, which runs them in order. Nothing here knows RDF or IRIs.
"""
