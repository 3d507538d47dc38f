"""The live room: participant and projector pages on Solara's server, `separ serve`.

Pages are plain ipywidgets apps run by Solara in virtual kernels inside one process,
so 300 phones cost megabytes, not a kernel each (see docs/live.md for the figures).
Nothing here imports pandas or matplotlib: one process serves every participant.
"""
