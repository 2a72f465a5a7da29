"""The Spanish example's survey exports (content/surveys/*.csv), translated for the English
example (cjmsite/example/en/content/surveys/): the same rows, scores and dates, with
English headers and words, written as an English export (comma between cells, decimal
point, US dates). Run it from the repository after changing a Spanish export:

    python docs/translate_example_surveys.py

A cell with no translation below stops it with a KeyError naming the cell."""

import csv
import datetime as dt
import io
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FILES = {"ces-facturacion": "ces-billing", "csat-recepcion": "csat-reception",
         "nps-postventa": "nps-after-sales"}
WORDS = {
    "Reseña": "Review", "Búsqueda de información": "Information search",
    "Seguimiento": "Follow-up", "Recepción del auto": "Car reception",
    "Traslado al taller": "Drive to the workshop", "Facturación": "Billing",
    "Diagnóstico": "Diagnosis", "Consulta telefónica": "Phone enquiry",
    "Reserva de cita": "Booking", "Entrega": "Handover",
    "Particular": "Individual", "Flota": "Fleet",
    "Efectivo": "Cash", "Transferencia": "Bank transfer", "Tarjeta": "Card",
    "Los recomiendo sin dudar.": "I recommend them without a doubt.",
    "Buen trato del jefe de taller.": "The workshop manager treated me well.",
    "¡Excelente! Me devolvieron el auto lavado.": "Excellent! They gave the car back washed.",
    "Rápidos y amables.": "Quick and friendly.",
    "Me explicaron todo con fotos, muy claro.":
        "They explained everything with photos, very clear.",
    "Atención de primera, volveré.": "First-class service, I will be back.",
    "Sin problemas, pero nada especial.": "No problems, but nothing special.",
    "Normal, como en cualquier taller.": "Ordinary, like any workshop.",
    "Tuve que llamar dos veces para que me atiendan.": "I had to call twice to get an answer.",
    "Demoraron en darme el presupuesto.": "They were slow to give me the quote.",
    "Nadie me avisó del retraso.": "Nobody told me about the delay.",
    "La factura tardó más que la reparación.": "The invoice took longer than the repair.",
    "Poca información sobre el estado del auto.": "Little information on how the car was doing.",
}
HEADERS = {"Fecha": "Date", "Medio de pago": "Payment method", "Esfuerzo (1-7)": "Effort (1-7)",
           "Fecha de respuesta": "Response date", "Calificación": "Rating",
           "Comentario": "Comment", "Etapa": "Stage", "Perfil": "Profile", "Nota": "Score"}


def translate(src: Path, dst: Path) -> None:
    rows = list(csv.reader(src.open(encoding="utf-8-sig", newline=""), delimiter=";"))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([HEADERS[h] for h in rows[0]])
    for row in rows[1:]:
        cells = []
        for header, cell in zip(rows[0], row, strict=False):
            if header.startswith("Fecha") and cell:
                cell = dt.datetime.strptime(cell, "%d/%m/%Y").date().strftime("%m/%d/%Y")
            elif header in ("Nota", "Esfuerzo (1-7)", "Calificación"):
                cell = cell.replace(",", ".")
            elif cell:
                cell = WORDS[cell]
            cells.append(cell)
        writer.writerow(cells)
    dst.write_text(out.getvalue(), encoding="utf-8", newline="")


if __name__ == "__main__":
    for spanish, english in FILES.items():
        translate(REPO / "content/surveys" / f"{spanish}.csv",
                  REPO / "cjmsite/example/en/content/surveys" / f"{english}.csv")
