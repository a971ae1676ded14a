# Resource object code (Python 3)
# Created by: object code
# Created by: The Resource Compiler for Qt version 6.11.3
# WARNING! All changes made in this file will be lost!

from PySide6 import QtCore

qt_resource_data = b"\
\x00\x00\x02\xa2\
<\
svg xmlns=\x22http:\
//www.w3.org/200\
0/svg\x22 width=\x2225\
6\x22 height=\x22256\x22 \
viewBox=\x220 0 256\
 256\x22>\x0a  <!-- Cl\
usterGenie: thre\
e droplets of on\
e cluster, linke\
d, on the sideba\
r's dark slate. \
-->\x0a  <rect x=\x228\
\x22 y=\x228\x22 width=\x222\
40\x22 height=\x22240\x22\
 rx=\x2248\x22 fill=\x22#\
20232a\x22/>\x0a  <g s\
troke=\x22#5b9cf0\x22 \
stroke-width=\x2212\
\x22 stroke-linecap\
=\x22round\x22>\x0a    <l\
ine x1=\x22128\x22 y1=\
\x2276\x22 x2=\x2276\x22 y2=\
\x22168\x22/>\x0a    <lin\
e x1=\x22128\x22 y1=\x227\
6\x22 x2=\x22180\x22 y2=\x22\
168\x22/>\x0a    <line\
 x1=\x2276\x22 y1=\x22168\
\x22 x2=\x22180\x22 y2=\x221\
68\x22/>\x0a  </g>\x0a  <\
circle cx=\x22128\x22 \
cy=\x2276\x22 r=\x2230\x22 f\
ill=\x22#2e8bda\x22/>\x0a\
  <circle cx=\x2276\
\x22 cy=\x22168\x22 r=\x2230\
\x22 fill=\x22#2fa35a\x22\
/>\x0a  <circle cx=\
\x22180\x22 cy=\x22168\x22 r\
=\x2230\x22 fill=\x22#2fa\
35a\x22/>\x0a  <circle\
 cx=\x22128\x22 cy=\x2276\
\x22 r=\x2211\x22 fill=\x22#\
ffffff\x22/>\x0a</svg>\
\x0a\
"

qt_resource_name = b"\
\x00\x0c\
\x01\xcaQ\xb5\
\x00c\
\x00l\x00u\x00s\x00t\x00e\x00r\x00g\x00e\x00n\x00i\x00e\
\x00\x10\
\x01\xb7\xceg\
\x00c\
\x00l\x00u\x00s\x00t\x00e\x00r\x00g\x00e\x00n\x00i\x00e\x00.\x00s\x00v\x00g\
"

qt_resource_struct = b"\
\x00\x00\x00\x00\x00\x02\x00\x00\x00\x01\x00\x00\x00\x01\
\x00\x00\x00\x00\x00\x02\x00\x00\x00\x01\x00\x00\x00\x02\
\x00\x00\x00\x1e\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\
"

def qInitResources():
    QtCore.qRegisterResourceData(0x01, qt_resource_struct, qt_resource_name, qt_resource_data)

def qCleanupResources():
    QtCore.qUnregisterResourceData(0x01, qt_resource_struct, qt_resource_name, qt_resource_data)

qInitResources()
