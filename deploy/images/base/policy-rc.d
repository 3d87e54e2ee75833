#!/bin/sh
# Package scripts must not start daemons while an image is being built: the build
# container is thrown away, and a started server could hold ports or files.
exit 101
