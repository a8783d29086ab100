"""Opens a coverage GeoPackage and its QGIS project in QGIS (headless) the way a user would,
checks what QGIS reads (layers, default styles from layer_styles, categories, labels, order,
CRS), and renders the project with QGIS's own layout engine (map, legend, scale bar, north
arrow) to a PNG.

Usage (from scripts/qgis_check.sh): /usr/bin/python3 scripts/qgis_render.py GPKG QGS PNG
"""
import os
import sys

from qgis.core import (
    QgsApplication, QgsLayout, QgsLayoutExporter, QgsLayoutItemLabel, QgsLayoutItemLegend,
    QgsLayoutItemMap, QgsLayoutItemPicture, QgsLayoutItemScaleBar, QgsLayoutPoint, QgsLayoutSize,
    QgsProject, QgsRectangle, QgsUnitTypes, QgsVectorLayer,
)
from qgis.PyQt.QtGui import QFont

gpkg, qgs, png = sys.argv[1:4]
app = QgsApplication([], False)
app.initQgis()
failures = []


def check(ok, what):
    print(("ok      " if ok else "FAILED  ") + what)
    if not ok:
        failures.append(what)


# 1. The GeoPackage alone: each layer opens with its default style from layer_styles.
expected = {
    "qpv": ("singleSymbol", True),
    "facilities": ("categorizedSymbol", False),
    "rings": ("singleSymbol", False),
    "uncovered": ("categorizedSymbol", False),
}
for name, (renderer, labelled) in expected.items():
    layer = QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr")
    check(layer.isValid(), f"{name}: opens")
    check(layer.renderer().type() == renderer, f"{name}: default style renderer {layer.renderer().type()}")
    check(layer.labelsEnabled() == labelled, f"{name}: labels {'on' if labelled else 'off'}")
    if name == "facilities":
        labels = [c.label() for c in layer.renderer().categories()]
        check(labels[:6] == ["Collège", "École élémentaire", "École maternelle", "Lycée",
                             "Centre social", "France Services"], f"facilities: legend {labels}")
    if name == "uncovered":
        categories = layer.renderer().categories()  # keep the copies alive
        kind = categories[0].symbol().symbolLayer(0).layerType()
        check(kind == "LinePatternFill", f"uncovered: hatched ({kind})")

# 2. The project: every layer valid, points on top, rings at the bottom, EPSG:2154.
project = QgsProject.instance()
check(project.read(qgs), "project reads")
order = [l.source().split("layername=")[1] for l in project.layerTreeRoot().layerOrder()]
check(order == ["facilities", "qpv", "uncovered", "rings"], f"project layer order {order}")
check(all(l.isValid() for l in project.mapLayers().values()), "project layers all valid (relative path)")
check(project.crs().authid() == "EPSG:2154", f"project CRS {project.crs().authid()}")
qpv = project.layerTreeRoot().layerOrder()[1]
check(qpv.labelsEnabled(), "project: QPV labels on")
print("legend:", [l.name() for l in project.layerTreeRoot().layerOrder()])

# 3. Render through a print layout: A4 landscape, map zoomed to the QPV, legend, scale, north.
layout = QgsLayout(project)
layout.initializeDefaults()
page = layout.pageCollection().page(0)
page.setPageSize("A4", page.Landscape)
mm = QgsUnitTypes.LayoutMillimeters
title = QgsLayoutItemLabel(layout)
title.setText("Couverture des quartiers prioritaires (QPV) par les équipements — Grand Belfort")
title.setFont(QFont("DejaVu Sans", 15, QFont.Bold))
title.attemptMove(QgsLayoutPoint(8, 5, mm))
title.attemptResize(QgsLayoutSize(280, 10, mm))
layout.addLayoutItem(title)
themap = QgsLayoutItemMap(layout)
layout.addLayoutItem(themap)
themap.attemptMove(QgsLayoutPoint(8, 17, mm))
themap.attemptResize(QgsLayoutSize(205, 185, mm))
themap.setLayers(project.layerTreeRoot().layerOrder())
extent = QgsRectangle(qpv.extent())
extent.scale(1.08)
themap.setFrameEnabled(True)
# The QPV's extent widened to the map frame's proportions (205 × 185 mm).
c, half_w, half_h = extent.center(), extent.width() / 2, extent.height() / 2
if half_w / half_h < 205 / 185:
    half_w = half_h * 205 / 185
else:
    half_h = half_w * 185 / 205
extent = QgsRectangle(c.x() - half_w, c.y() - half_h, c.x() + half_w, c.y() + half_h)
themap.setExtent(extent)
print("map extent:", themap.extent().toString(0))
legend = QgsLayoutItemLegend(layout)
legend.setTitle("Légende")
legend.setLinkedMap(themap)
legend.setLegendFilterByMapEnabled(True)  # only what the map draws
legend.attemptMove(QgsLayoutPoint(217, 17, mm))
layout.addLayoutItem(legend)
bar = QgsLayoutItemScaleBar(layout)
bar.setStyle("Single Box")
bar.setLinkedMap(themap)
bar.applyDefaultSize()
bar.setUnits(QgsUnitTypes.DistanceMeters)
bar.setNumberOfSegments(2)
bar.setNumberOfSegmentsLeft(0)
bar.setUnitsPerSegment(500)
bar.setUnitLabel("m")
bar.setBackgroundEnabled(True)
bar.attemptMove(QgsLayoutPoint(11, 186, mm))
layout.addLayoutItem(bar)
north = QgsLayoutItemPicture(layout)
north.setPicturePath(os.path.join(QgsApplication.svgPaths()[0], "arrows/NorthArrow_02.svg"))
north.attemptMove(QgsLayoutPoint(198, 20, mm))
north.attemptResize(QgsLayoutSize(12, 12, mm))
layout.addLayoutItem(north)
source = QgsLayoutItemLabel(layout)
source.setText("Sources : ANCT, SIG Ville, QPV 2024 ; Ministère de l'Éducation nationale, Annuaire de "
               "l'éducation ; centres sociaux placés par géocodage de leur adresse (BANO, © les "
               "contributeurs d'OpenStreetMap, ODbL). Distance au périmètre du QPV. "
               "Rendu par QGIS 3.22 du projet écrit par qpv.")
source.setFont(QFont("DejaVu Sans", 7))
source.attemptMove(QgsLayoutPoint(8, 203, mm))
source.attemptResize(QgsLayoutSize(280, 6, mm))
layout.addLayoutItem(source)
settings = QgsLayoutExporter.ImageExportSettings()
settings.dpi = 110
result = QgsLayoutExporter(layout).exportToImage(png, settings)
check(result == QgsLayoutExporter.Success, f"layout exported to {png}")
print("QGIS check:", "FAILED " + "; ".join(failures) if failures else "all ok")
sys.stdout.flush()
os._exit(1 if failures else 0)
