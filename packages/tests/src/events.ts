/** Server-sent event streams in tests: open one, and read every event received so far. */
import { request, type IncomingMessage } from 'node:http';

/** An open event stream: every event received so far, in order. */
export interface Events {
  events: Array<{ event: string; data: unknown }>;
  res: IncomingMessage;
  close(): void;
}

/** O(1). Opens `url` (a full URL) as an event stream; its events collect as they arrive. */
export function listen(url: string): Promise<Events> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { accept: 'text/event-stream' } }, (res) => {
      const out: Events = { events: [], res, close: () => req.destroy() };
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data !== undefined) out.events.push({ event, data: JSON.parse(data) });
        }
      });
      res.on('error', () => undefined);
      resolve(out);
    });
    req.on('error', reject);
    req.end();
  });
}
