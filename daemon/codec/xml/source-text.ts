/**
 * The XML text an event was decoded from, so a relay can write the sender's own bytes
 * instead of encoding the event again (an XML relay then costs a decode, not a decode and
 * an encode). Only whole, valid events that already carry what takd always writes
 * (version="2.0" and a how) are remembered.
 *
 * Such events are frozen, so the text can never disagree with the event: code that wants
 * a changed event makes a copy (`{ ...event, stale }`), and a copy has no source text.
 */
import type { CotEvent } from '../event.js';

/** Returns the object it is given, so that a subclass can add a private field to it. */
class Itself {
  constructor(object: object) {
    return object;
  }
}

/**
 * Adds the source text to a plain event object as a private field: invisible to spread,
 * Object.keys and deepEqual, so a copy never carries it, and about 25 times cheaper to add
 * and read than a WeakMap entry (which also costs the garbage collector per event).
 */
class SourceText extends Itself {
  #xml: string;

  private constructor(event: CotEvent, xml: string) {
    super(event);
    this.#xml = xml;
  }

  static attach(event: CotEvent, xml: string): void {
    new SourceText(event, xml);
  }

  static of(event: CotEvent): string | undefined {
    return #xml in event ? (event as unknown as SourceText).#xml : undefined;
  }
}

/** Freezes `event` (and its parts) and remembers `xml` as its exact encoding. */
export function rememberSourceXml(event: CotEvent, xml: string): void {
  SourceText.attach(event, xml);
  Object.freeze(event.point);
  if (event.contact) Object.freeze(event.contact);
  if (event.group) Object.freeze(event.group);
  if (event.takv) Object.freeze(event.takv);
  if (event.status) Object.freeze(event.status);
  if (event.track) Object.freeze(event.track);
  if (event.precisionLocation) Object.freeze(event.precisionLocation);
  Object.freeze(event);
}

/** The XML `event` was decoded from, when it is known and may be written as is. */
export function sourceXmlOf(event: CotEvent): string | undefined {
  return SourceText.of(event);
}
