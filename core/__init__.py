"""Small helpers shared by the apps (audit entries, materialised-path trees, process liveness).

``core`` imports Django and Wagtail only, never a sulieu app or the project package.
"""
