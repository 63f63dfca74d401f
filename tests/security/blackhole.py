"""A TCP proxy on loopback that can turn into a black hole: it keeps every connection open
and accepts new ones, but stops forwarding a single byte (what a database behind a dropped
route or a frozen server looks like to the app). Bounded: daemon threads, loopback only,
everything closed by stop()."""

import selectors
import socket
import threading


class BlackHoleProxy:
    def __init__(self, target_host, target_port):
        self.target = (target_host, target_port)
        self.forwarding = threading.Event()
        self.forwarding.set()
        self.stopped = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.sockets = []
        self.threads = [threading.Thread(target=self._accept, daemon=True)]
        self.threads[0].start()

    def black_hole(self):
        self.forwarding.clear()

    def resume(self):
        self.forwarding.set()

    def stop(self):
        self.stopped.set()
        self.forwarding.set()
        for thread in self.threads:
            thread.join(timeout=5)
        for sock in [self.listener, *self.sockets]:
            sock.close()

    def _accept(self):
        while not self.stopped.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            # Connections made during the black hole are accepted and then ignored, too.
            upstream = socket.create_connection(self.target, timeout=5)
            self.sockets += [client, upstream]
            thread = threading.Thread(target=self._relay, args=(client, upstream), daemon=True)
            self.threads.append(thread)
            thread.start()

    def _relay(self, a, b):
        peers = {a: b, b: a}
        with selectors.DefaultSelector() as selector:
            for sock in peers:
                selector.register(sock, selectors.EVENT_READ)
            while not self.stopped.is_set():
                if not self.forwarding.is_set():
                    # Read nothing: the bytes wait in the kernel's buffers, acknowledged, unanswered.
                    self.forwarding.wait(0.2)
                    continue
                for key, _ in selector.select(timeout=0.2):
                    try:
                        data = key.fileobj.recv(65536)
                    except OSError:
                        return
                    if not data:
                        peers[key.fileobj].close()
                        key.fileobj.close()
                        return
                    peers[key.fileobj].sendall(data)
