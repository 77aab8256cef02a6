"""A TCP relay between the app and the database server that watches the
MySQL protocol: it counts the commands clients send and keeps the text of
their queries.

Every command (a query, a ping, a reset, a COMMIT) opens with a packet whose
sequence id is 0, and every command is one round trip. The server's own
counters cannot tell round trips: ``Questions`` counts each statement of a
multi-statement packet.
"""
import socket
import threading

COM_QUERY = 0x03
COM_PING = 0x0E


class CommandRelay:
    """Listens on 127.0.0.1:``port`` and relays each connection to the server."""

    def __init__(self, host, port):
        self.server_address = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.commands = 0
        self.pings = 0
        self.queries = []  # the text of each query sent, as bytes
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:  # closed
                return
            server = socket.create_connection(self.server_address)
            threading.Thread(target=self._relay, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._relay, args=(server, client, False), daemon=True).start()

    def _relay(self, source, target, from_client):
        unparsed = bytearray()
        try:
            while data := source.recv(65536):
                if from_client:
                    # Read before it is passed on: the answer cannot come first.
                    unparsed += data
                    self._read_packets(unparsed)
                target.sendall(data)
        except OSError:
            pass
        finally:
            source.close()
            target.close()

    def _read_packets(self, unparsed):
        """Note the commands among the whole packets in ``unparsed``; leave the rest."""
        while len(unparsed) >= 4:
            length = int.from_bytes(unparsed[:3], "little")
            if len(unparsed) < 4 + length:
                return
            if unparsed[3] == 0:  # sequence id 0: a new command
                with self._lock:
                    self.commands += 1
                    if length and unparsed[4] == COM_QUERY:
                        self.queries.append(bytes(unparsed[5:4 + length]))
                    elif length and unparsed[4] == COM_PING:
                        self.pings += 1
            del unparsed[:4 + length]

    def close(self):
        self.listener.close()
