"""Sample data: the demonstration cases (``demo``) and synthetic cases for benchmarks and
stress tests (``synth``).

They write through the same use cases the GUI calls (``firecase.services``) and are imported
by nothing but the command line (``firecase demo``, ``firecase synth``), the bench, the tests
and the main window's one offer to load the demonstration cases into an empty case file.
"""
