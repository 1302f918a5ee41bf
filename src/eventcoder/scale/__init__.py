"""Scale-out on Ray: ``eventcoder batch`` codes many input files on a pool of Ray actors and writes
Parquet (``DIR/articles``, ``DIR/events``). Ray is an optional dependency, imported only when used.

    from eventcoder.scale.commands import register
    register(app)  # adds the `batch` command to a Typer app
"""
