"""The expert's timeline (R-SUPERVISE): a read model built from every other service's events.

Directory subscribes to every event type another service publishes (all of
``registered_events()`` but its own catalogue and employer events); each delivery becomes one
row: the expert, the event's own time, type, producing service and a thin summary (scalar
fields only; never a passport number, a salary or a nested contract), keyed by the event id so
a duplicate writes nothing. An officer reads it in order (time, then event id) with a cursor.

An event that names only its application (``ApplicationReturned``) is placed through what
directory knows of the application: any row of the same application that names the expert. A
row that arrives before any such row keeps its application id and an empty expert and is
resolved on read through the expert's other rows of that application. Nothing is updated and
no key but the event id is shared, so concurrent handlers never wait on each other's locks.
"""
