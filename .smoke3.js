require('reflect-metadata');
const { validate } = require('class-validator');
const { DeliverCorrectionInput } = require('./dist/services/conversation/escalation/escalation.types.js');
const x = Object.assign(new DeliverCorrectionInput(), { messageId: '2c20fb24-0459-438f-be10-c343bc5c2c03', correctedText: 'hi', knowledgeItemIds: [], learnedAnswerId: '2c20fb24-0459-438f-be10-c343bc5c2c03', agent: 'key:abc' });
validate(x, { forbidUnknownValues: false }).then(e => console.log(JSON.stringify(e.map(v => v.constraints))));
