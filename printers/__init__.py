"""Receipt printers: layout to a 1-bit image, ESC/POS connections and the print spool.

Takes Receipt values and knows nothing of the server.
"""
