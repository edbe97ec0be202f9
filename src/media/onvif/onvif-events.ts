import { attributeOf, child, children, textOf } from './soap.js';
import { type CallWait, type OnvifClient, type OnvifCredentials, OnvifError } from './onvif-client.js';

/**
 * ONVIF events as a client (Core 9.1): a pull-point subscription, its PullMessages, Renew and
 * Unsubscribe, and the motion alarm read out of the notifications. Times are the camera's; the
 * caller puts them on its own clock with `CurrentTime` (see the recorder's motion-tracker.ts).
 */

const TEV = 'xmlns:tev="http://www.onvif.org/ver10/events/wsdl"';
const WSNT = 'xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2"';

/** One change of a motion alarm, as the camera tells it. */
export interface MotionNotification {
  /** The camera's time of the change (ms since 1970). */
  at: number;
  active: boolean;
  /** `Initialized`: the state when the subscription began; `Changed`: a change since. */
  operation: string;
}

export interface PulledMessages {
  /** The camera's clock when it answered. */
  currentTime: number;
  motion: MotionNotification[];
}

/**
 * The motion topics cameras use, and the item that carries the state: ONVIF's motion alarm, and
 * the cell motion detector of the analytics rule engine (most makes send one or both).
 */
const MOTION_ITEMS: readonly { topic: RegExp; item: string }[] = [
  { topic: /(^|[:/])VideoSource\/MotionAlarm$/, item: 'State' },
  { topic: /(^|[:/])RuleEngine\/CellMotionDetector\/Motion$/, item: 'IsMotion' },
];

const isoMs = (text: string | undefined) => (text === undefined ? NaN : Date.parse(text));

/** The motion changes among a PullMessagesResponse's notifications; other topics are skipped. Pure. */
export function motionNotifications(response: unknown): MotionNotification[] {
  const found: MotionNotification[] = [];
  for (const notification of children(response, 'NotificationMessage')) {
    const topic = textOf(child(notification, 'Topic'))?.trim() ?? '';
    const kind = MOTION_ITEMS.find((m) => m.topic.test(topic));
    if (!kind) continue;
    const message = child(child(notification, 'Message'), 'Message');
    const at = isoMs(attributeOf(message, 'UtcTime'));
    const item = children(child(message, 'Data'), 'SimpleItem').find((i) => attributeOf(i, 'Name') === kind.item);
    const value = attributeOf(item, 'Value');
    if (!Number.isFinite(at) || (value !== 'true' && value !== 'false')) continue;
    found.push({ at, active: value === 'true', operation: attributeOf(message, 'PropertyOperation') ?? 'Changed' });
  }
  return found;
}

export interface PullPointSubscription {
  /** Where PullMessages, Renew and Unsubscribe go. */
  address: string;
}

export class OnvifEvents {
  constructor(
    private readonly client: OnvifClient,
    private readonly credentials: OnvifCredentials,
  ) {}

  /** A new pull-point subscription at the camera's events service, for `lifetimeS` unless renewed. */
  async subscribe(lifetimeS: number, wait?: CallWait): Promise<PullPointSubscription> {
    const capabilities = await this.client.call(
      this.client.deviceUrl,
      '<tds:GetCapabilities><tds:Category>Events</tds:Category></tds:GetCapabilities>',
      this.credentials,
      wait,
    );
    const eventsUrl = textOf(child(child(child(capabilities.body, 'Capabilities'), 'Events'), 'XAddr'));
    if (!eventsUrl) throw new OnvifError('protocol', 'The camera has no events service.');
    const answer = await this.client.call(
      eventsUrl,
      `<tev:CreatePullPointSubscription ${TEV}><tev:InitialTerminationTime>PT${lifetimeS}S</tev:InitialTerminationTime></tev:CreatePullPointSubscription>`,
      this.credentials,
      wait,
    );
    const address = textOf(child(child(answer.body, 'SubscriptionReference'), 'Address'))?.trim();
    if (!address || !/^https?:\/\//i.test(address)) throw new OnvifError('protocol', 'The camera gave no address for its subscription.');
    return { address };
  }

  /** Waits up to `timeoutS` on the camera for messages (the call's own timeout is a few seconds more). */
  async pull(subscription: PullPointSubscription, timeoutS: number, limit: number, signal?: AbortSignal): Promise<PulledMessages> {
    const answer = await this.client.call(
      subscription.address,
      `<tev:PullMessages ${TEV}><tev:Timeout>PT${timeoutS}S</tev:Timeout><tev:MessageLimit>${limit}</tev:MessageLimit></tev:PullMessages>`,
      this.credentials,
      { timeoutMs: timeoutS * 1000 + 5000, signal },
    );
    const currentTime = isoMs(textOf(child(answer.body, 'CurrentTime')));
    if (!Number.isFinite(currentTime)) throw new OnvifError('protocol', 'The camera answered PullMessages without its time.');
    return { currentTime, motion: motionNotifications(answer.body) };
  }

  async renew(subscription: PullPointSubscription, lifetimeS: number, wait?: CallWait): Promise<void> {
    await this.client.call(subscription.address, `<wsnt:Renew ${WSNT}><wsnt:TerminationTime>PT${lifetimeS}S</wsnt:TerminationTime></wsnt:Renew>`, this.credentials, wait);
  }

  async unsubscribe(subscription: PullPointSubscription, wait?: CallWait): Promise<void> {
    await this.client.call(subscription.address, `<wsnt:Unsubscribe ${WSNT}/>`, this.credentials, wait);
  }
}
