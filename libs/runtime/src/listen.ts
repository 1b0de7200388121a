import type { INestApplication } from '@nestjs/common';

/**
 * Listens on every interface, as a Node server given only a port does: IPv6 and IPv4 on `::`, IPv4
 * alone where the machine has no IPv6. (Fastify's own default is localhost, which a gateway or a
 * container port mapping cannot reach.)
 */
export async function listenOnAllInterfaces(app: INestApplication, port: number): Promise<void> {
  try {
    await app.listen(port, '::');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EAFNOSUPPORT' && code !== 'EADDRNOTAVAIL') throw error;
    await app.listen(port, '0.0.0.0');
  }
}
