import type { Clock } from '../../shared/clock.js';
import { OnvifFault, type OnvifCall, type OnvifOperation } from './operation.js';
import { type MotionMessage, PullPoints, TooManyPullPoints, MAX_PULL_POINTS } from './pull-points.js';
import { child, textOf, xmlText } from '../../media/onvif/soap.js';

export const PULL_POINT_PATH = '/onvif/pullpoint';

const MOTION_TOPIC = 'tns1:VideoSource/MotionAlarm';
const SOURCE_TOKEN = 'videosource1';
/** A subscription lives a minute unless asked for longer, at most 10 minutes, and is renewed by its client. */
const DEFAULT_LIFETIME_MS = 60_000;
const MAX_LIFETIME_MS = 10 * 60_000;
/** ONVIF asks cameras to hold a PullMessages for up to a minute. */
const MAX_PULL_WAIT_MS = 60_000;

/** Milliseconds of an xs:duration such as PT1M or PT90S, or of an absolute end time; undefined if it is neither. Pure. */
export function requestedMs(text: string | undefined, now: number): number | undefined {
  if (!text) return undefined;
  const duration = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(text.trim());
  if (duration && text.trim() !== 'PT') return ((Number(duration[1] ?? 0) * 60 + Number(duration[2] ?? 0)) * 60 + Number(duration[3] ?? 0)) * 1000;
  const end = Date.parse(text);
  return Number.isFinite(end) ? end - now : undefined;
}

const lifetime = (text: string | undefined, now: number) => Math.min(Math.max(requestedMs(text, now) ?? DEFAULT_LIFETIME_MS, 1000), MAX_LIFETIME_MS);
const iso = (ms: number) => new Date(ms).toISOString();

const unknownSubscription = () =>
  new OnvifFault({ code: 'env:Sender', subcode: 'ter:InvalidArgVal', innerSubcode: 'ter:ResourceUnknown', reason: 'no such subscription' });

function notification(message: MotionMessage): string {
  return (
    `<wsnt:NotificationMessage><wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">${MOTION_TOPIC}</wsnt:Topic>` +
    `<wsnt:Message><tt:Message UtcTime="${iso(message.at)}" PropertyOperation="${message.operation}">` +
    `<tt:Source><tt:SimpleItem Name="Source" Value="${SOURCE_TOKEN}"/></tt:Source>` +
    `<tt:Data><tt:SimpleItem Name="State" Value="${message.active}"/></tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage>`
  );
}

/**
 * ONVIF events (Core 9, Profile S): the motion alarm (`tns1:VideoSource/MotionAlarm`, a property
 * with a boolean State) through pull-point subscriptions. The events service creates them; each
 * subscription's address (the pull point, its id in the query) serves PullMessages, Renew, Unsubscribe.
 */
export function eventOperations(pullPoints: PullPoints, motion: () => boolean, clock: Clock): { events: Record<string, OnvifOperation>; pullPoint: Record<string, OnvifOperation> } {
  const ownSubscription = (call: OnvifCall) => ({ id: call.query.get('id') ?? '', owner: call.caller!.id });
  return {
    events: {
      GetServiceCapabilities: {
        required: 'User',
        handle: () =>
          `<tev:GetServiceCapabilitiesResponse><tev:Capabilities WSSubscriptionPolicySupport="false" WSPullPointSupport="true" ` +
          `WSPausableSubscriptionManagerInterfaceSupport="false" MaxNotificationProducers="0" MaxPullPoints="${MAX_PULL_POINTS}"/></tev:GetServiceCapabilitiesResponse>`,
      },
      GetEventProperties: {
        required: 'User',
        handle: () =>
          '<tev:GetEventPropertiesResponse><tev:TopicNamespaceLocation>http://www.onvif.org/onvif/ver10/topics/topicns.xml</tev:TopicNamespaceLocation>' +
          '<wsnt:FixedTopicSet>true</wsnt:FixedTopicSet><wstop:TopicSet><tns1:VideoSource><MotionAlarm wstop:topic="true"><tt:MessageDescription IsProperty="true">' +
          '<tt:Source><tt:SimpleItemDescription Name="Source" Type="tt:ReferenceToken"/></tt:Source>' +
          '<tt:Data><tt:SimpleItemDescription Name="State" Type="xs:boolean"/></tt:Data></tt:MessageDescription></MotionAlarm></tns1:VideoSource></wstop:TopicSet>' +
          '<wsnt:TopicExpressionDialect>http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet</wsnt:TopicExpressionDialect>' +
          '<tev:MessageContentFilterDialect>http://www.onvif.org/ver10/tev/messageContentFilter/ItemFilter</tev:MessageContentFilterDialect>' +
          '<tev:MessageContentSchemaLocation>http://www.onvif.org/onvif/ver10/schema/onvif.xsd</tev:MessageContentSchemaLocation></tev:GetEventPropertiesResponse>',
      },
      CreatePullPointSubscription: {
        required: 'User',
        handle: (call) => {
          const now = clock.now();
          const ms = lifetime(textOf(child(call.request.body, 'InitialTerminationTime')), now);
          let id: string;
          try {
            id = pullPoints.create(call.caller!.id, now, ms, motion());
          } catch (error) {
            if (!(error instanceof TooManyPullPoints)) throw error;
            throw new OnvifFault({ code: 'env:Receiver', subcode: 'ter:Action', innerSubcode: 'ter:TooManySubscriptions', reason: `at most ${MAX_PULL_POINTS} subscriptions` });
          }
          return (
            `<tev:CreatePullPointSubscriptionResponse><tev:SubscriptionReference><wsa5:Address>http://${xmlText(call.httpHost)}${PULL_POINT_PATH}?id=${id}</wsa5:Address>` +
            `</tev:SubscriptionReference><wsnt:CurrentTime>${iso(now)}</wsnt:CurrentTime><wsnt:TerminationTime>${iso(now + ms)}</wsnt:TerminationTime></tev:CreatePullPointSubscriptionResponse>`
          );
        },
      },
    },
    pullPoint: {
      PullMessages: {
        required: 'User',
        handle: async (call) => {
          const { id, owner } = ownSubscription(call);
          const body = call.request.body;
          const wait = Math.min(Math.max(requestedMs(textOf(child(body, 'Timeout')), clock.now()) ?? 0, 0), MAX_PULL_WAIT_MS);
          const limit = Number(textOf(child(body, 'MessageLimit')) ?? 10) || 10;
          const messages = await pullPoints.pull(id, owner, clock.now(), limit, wait);
          if (!messages) throw unknownSubscription();
          const now = clock.now();
          const terminatesAt = pullPoints.find(id, owner, now)?.terminatesAt ?? now;
          return (
            `<tev:PullMessagesResponse><tev:CurrentTime>${iso(now)}</tev:CurrentTime><tev:TerminationTime>${iso(terminatesAt)}</tev:TerminationTime>` +
            `${messages.map(notification).join('')}</tev:PullMessagesResponse>`
          );
        },
      },
      Renew: {
        required: 'User',
        handle: (call) => {
          const { id, owner } = ownSubscription(call);
          const now = clock.now();
          const terminatesAt = pullPoints.renew(id, owner, now, lifetime(textOf(child(call.request.body, 'TerminationTime')), now));
          if (terminatesAt === undefined) throw unknownSubscription();
          return `<wsnt:RenewResponse><wsnt:TerminationTime>${iso(terminatesAt)}</wsnt:TerminationTime><wsnt:CurrentTime>${iso(now)}</wsnt:CurrentTime></wsnt:RenewResponse>`;
        },
      },
      Unsubscribe: {
        required: 'User',
        handle: (call) => {
          const { id, owner } = ownSubscription(call);
          if (!pullPoints.unsubscribe(id, owner, clock.now())) throw unknownSubscription();
          return '<wsnt:UnsubscribeResponse/>';
        },
      },
    },
  };
}
