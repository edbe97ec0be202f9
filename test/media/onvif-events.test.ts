// Reading motion out of a PullMessagesResponse: ONVIF's motion alarm (what the Vigil camera
// sends) and the rule engine's cell motion detector (what many other makes send). Pure.
import { describe, expect, it } from 'vitest';
import { parseSoapRequest } from '../../src/media/onvif/soap.js';
import { motionNotifications } from '../../src/media/onvif/onvif-events.js';

const notification = (topic: string, item: string, value: string, time = '2026-12-08T01:00:00Z', operation = 'Changed') =>
  `<wsnt:NotificationMessage><wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">${topic}</wsnt:Topic>` +
  `<wsnt:Message><tt:Message UtcTime="${time}" PropertyOperation="${operation}"><tt:Source><tt:SimpleItem Name="Source" Value="vs1"/></tt:Source>` +
  `<tt:Data><tt:SimpleItem Name="${item}" Value="${value}"/></tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage>`;

async function pulled(...messages: string[]) {
  const xml =
    '<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:tev="http://www.onvif.org/ver10/events/wsdl" xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" xmlns:tt="http://www.onvif.org/ver10/schema">' +
    `<env:Body><tev:PullMessagesResponse><tev:CurrentTime>2026-12-08T01:00:05Z</tev:CurrentTime>${messages.join('')}</tev:PullMessagesResponse></env:Body></env:Envelope>`;
  return motionNotifications((await parseSoapRequest(xml)).body);
}

describe('motion in pulled messages', () => {
  it('reads the motion alarm and the cell motion detector, in order', async () => {
    expect(
      await pulled(
        notification('tns1:VideoSource/MotionAlarm', 'State', 'true', '2026-12-08T01:00:00Z', 'Initialized'),
        notification('tns1:RuleEngine/CellMotionDetector/Motion', 'IsMotion', 'false', '2026-12-08T01:00:02.500Z'),
      ),
    ).toEqual([
      { at: Date.UTC(2026, 11, 8, 1, 0, 0), active: true, operation: 'Initialized' },
      { at: Date.UTC(2026, 11, 8, 1, 0, 2, 500), active: false, operation: 'Changed' },
    ]);
  });

  it('skips other topics, other items, and messages without a time or a boolean', async () => {
    expect(
      await pulled(
        notification('tns1:Device/Trigger/DigitalInput', 'LogicalState', 'true'),
        notification('tns1:VideoSource/MotionAlarm', 'Other', 'true'),
        notification('tns1:VideoSource/MotionAlarm', 'State', 'maybe'),
        notification('tns1:VideoSource/MotionAlarm', 'State', 'true', 'yesterday'),
        notification('tns1:VideoSource/MotionAlarmish', 'State', 'true'),
      ),
    ).toEqual([]);
  });

  it('an answer with no messages has no motion', async () => {
    expect(await pulled()).toEqual([]);
  });
});
