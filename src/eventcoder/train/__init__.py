"""Learning from the analyst's own coded data (``eventcoder train``).

``coded`` reads coded data (gold JSONL, ACLED export CSV, GTD CSV), ``model`` holds what was
learned (type classifier, actor alias table) with its save/load, ``learn`` fits it and
cross-validates it. The model files belong to the user; the package ships none trained on
third-party data.
"""
